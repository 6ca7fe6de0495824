# escape=`
ARG BASE=mcr.microsoft.com/dotnet/sdk:8.0
FROM ${BASE} AS Builder
WORKDIR C:\src
COPY . .
RUN dotnet restore
RUN dotnet publish -c Release -o C:\out `
    --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022 as runtime
WORKDIR C:\app
COPY --from=Builder C:\out .
ENV ASPNETCORE_URLS http://+:80
EXPOSE 80/Tcp
ENTRYPOINT dotnet app.dll
