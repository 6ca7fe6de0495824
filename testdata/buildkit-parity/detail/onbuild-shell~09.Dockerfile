FROM alpine AS a
onbuild SHELL ["/bin/bash", "-c"]
ONBUILD CMD echo after-shell
onbuild ENTRYPOINT echo lower

FROM a AS b
entrypoint echo own

FROM alpine AS c
shell ["pwsh", "-Command"]
ONBUILD CMD echo pwsh

FROM c AS d
cmd echo d

FROM d
copy --from=b /x /y
