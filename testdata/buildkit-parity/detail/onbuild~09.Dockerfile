# check=error=true
# check=skip=MaintainerDeprecated,SecretsUsedInArgOrEnv,FromAsCasing,LegacyKeyValueFormat,JSONArgsRecommended
FROM alpine AS base
ONBUILD COPY --from=build /out /app
ONBUILD RUN echo $UNDEFINED_ONBUILD
MAINTAINER x
ARG GITHUB_TOKEN

FROM base as next
ENV a b
CMD echo hi
