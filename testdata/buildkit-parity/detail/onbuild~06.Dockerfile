# check=error=true
from alpine AS base
onbuild COPY --from=build /out /app
onbuild RUN echo $UNDEFINED_ONBUILD
maintainer x
arg GITHUB_TOKEN

from base as next
env a b
cmd echo hi
