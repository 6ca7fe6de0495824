FROM mcr.microsoft.com/dotnet/sdk:8.0
WORKDIR /src
COPY . .
RUN dotnet restore
RUN dotnet publish App.csproj -c Release -o /app/publish
WORKDIR /app/publish
USER app
ENTRYPOINT ["dotnet", "App.dll"]
