FROM mcr.microsoft.com/powershell:lts AS ps
SHELL ["pwsh", "-NoLogo", "-Command"]
RUN Write-Host $env:PATH
CMD Write-Host hello
ENTRYPOINT Write-Host entry

# check=skip=all
FROM ps AS child
CMD Write-Host child

FROM alpine AS plain
CMD echo plain
SHELL ["/bin/ash", "-c"]
ENTRYPOINT echo after-shell

FROM alpine AS onbuilder
ONBUILD SHELL ["pwsh", "-Command"]
ONBUILD CMD Write-Host onbuild
CMD echo own
