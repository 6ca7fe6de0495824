FROM alpine as a
ONBUILD SHELL ["/bin/bash", "-c"]
ONBUILD CMD echo after-shell
onbuild ENTRYPOINT echo lower

FROM a as b
ENTRYPOINT echo own

FROM alpine as c
SHELL ["pwsh", "-Command"]
ONBUILD CMD echo pwsh

FROM c as d
CMD echo d

FROM d
COPY --from=b /x /y
