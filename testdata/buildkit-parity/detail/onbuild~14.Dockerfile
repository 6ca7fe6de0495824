# check=error=true
FROM alpine AS base
ONBUILD COPY --from=build /out /app
ONBUILD RUN echo $UNDEFINED_ONBUILD
MAINTAINER x
ARG GITHUB_TOKEN

# check=error=true
FROM base as next
ENV a b
CMD echo hi
