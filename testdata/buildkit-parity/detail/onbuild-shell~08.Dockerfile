from alpine AS a
onbuild SHELL ["/bin/bash", "-c"]
onbuild CMD echo after-shell
onbuild ENTRYPOINT echo lower

from a AS b
entrypoint echo own

from alpine AS c
shell ["pwsh", "-Command"]
onbuild CMD echo pwsh

from c AS d
cmd echo d

from d
copy --from=b /x /y
