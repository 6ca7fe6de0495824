# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS build
WORKDIR C:\src
RUN powershell -Command `
    Write-Host hello `

    ; Write-Host $env:PATH
ENV key value
COPY . .

# check=skip=WorkdirRelativePath,NoEmptyContinuation,LegacyKeyValueFormat,SecretsUsedInArgOrEnv,JSONArgsRecommended,ConsistentInstructionCasing
FROM build AS final
ENTRYPOINT powershell -File C:\app\run.ps1
label a=b
