FROM mcr.microsoft.com/powershell:lts as ps
SHELL ["pwsh", "-NoLogo", "-Command"]
RUN Write-Host $env:PATH
CMD Write-Host hello
ENTRYPOINT Write-Host entry

FROM ps as child
CMD Write-Host child

FROM alpine as plain
CMD echo plain
SHELL ["/bin/ash", "-c"]
ENTRYPOINT echo after-shell

FROM alpine as onbuilder
ONBUILD SHELL ["pwsh", "-Command"]
ONBUILD CMD Write-Host onbuild
CMD echo own
