from mcr.microsoft.com/powershell:lts AS ps
shell ["pwsh", "-NoLogo", "-Command"]
run Write-Host $env:PATH
cmd Write-Host hello
entrypoint Write-Host entry

from ps AS child
cmd Write-Host child

from alpine AS plain
cmd echo plain
shell ["/bin/ash", "-c"]
entrypoint echo after-shell

from alpine AS onbuilder
onbuild SHELL ["pwsh", "-Command"]
onbuild CMD Write-Host onbuild
cmd echo own
