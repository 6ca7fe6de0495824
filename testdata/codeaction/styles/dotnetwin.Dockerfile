# escape=`
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR C:\src
COPY . .
RUN dotnet restore
RUN dotnet publish App.csproj -c Release -o C:\out
ENTRYPOINT ["dotnet", "C:\\out\\App.dll"]
