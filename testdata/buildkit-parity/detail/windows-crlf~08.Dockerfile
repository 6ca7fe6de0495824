# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS build
workdir C:\src
RUN powershell -Command `
    Write-Host hello `

    ; Write-Host $env:PATH
ENV key value
COPY . .

FROM build AS final
entrypoint powershell -File C:\app\run.ps1
label a=b
