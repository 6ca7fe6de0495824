FROM alpine AS a
ONBUILD SHELL ["/bin/bash", "-c"]
ONBUILD CMD echo after-shell
onbuild ENTRYPOINT echo lower

FROM a AS b
# check=skip=MultipleInstructionsDisallowed
ENTRYPOINT echo own

FROM alpine AS c
SHELL ["pwsh", "-Command"]
ONBUILD CMD echo pwsh

FROM c AS d
CMD echo d

FROM d
COPY --from=b /x /y
