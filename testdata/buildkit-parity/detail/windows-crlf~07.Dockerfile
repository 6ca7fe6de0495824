# escape=`
from mcr.microsoft.com/windows/servercore:ltsc2022 AS build
workdir C:\src
run powershell -Command `
    Write-Host hello `

    ; Write-Host $env:PATH
env key value
copy . .

from build AS final
entrypoint powershell -File C:\app\run.ps1
label a=b
