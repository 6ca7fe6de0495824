FROM mcr.microsoft.com/powershell:lts AS ps
shell ["pwsh", "-NoLogo", "-Command"]
RUN Write-Host $env:PATH
CMD Write-Host hello
ENTRYPOINT Write-Host entry

FROM ps AS child
cmd Write-Host child

FROM alpine AS plain
cmd echo plain
SHELL ["/bin/ash", "-c"]
ENTRYPOINT echo after-shell

FROM alpine AS onbuilder
onbuild SHELL ["pwsh", "-Command"]
ONBUILD CMD Write-Host onbuild
CMD echo own
