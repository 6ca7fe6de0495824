# check=error=true
FROM alpine AS base
onbuild COPY --from=build /out /app
ONBUILD RUN echo $UNDEFINED_ONBUILD
MAINTAINER x
ARG GITHUB_TOKEN

FROM base as next
env a b
CMD echo hi
