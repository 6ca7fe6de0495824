# check=error=true
FROM alpine as base
ONBUILD COPY --from=build /out /app
ONBUILD RUN echo $UNDEFINED_ONBUILD
MAINTAINER x
ARG GITHUB_TOKEN

FROM base AS next
ENV a b
CMD echo hi
