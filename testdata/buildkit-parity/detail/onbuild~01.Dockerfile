# check=error=true
FROM alpine AS base
ONBUILD COPY --from=build /out /app
ONBUILD RUN echo $UNDEFINED_ONBUILD
# check=skip=MaintainerDeprecated
MAINTAINER x
ARG GITHUB_TOKEN

FROM base as next
ENV a b
CMD echo hi
