FROM alpine AS base
ONBUILD ENV a b
ONBUILD CMD echo onbuild
ONBUILD ARG TOKEN
ONBUILD WORKDIR rel
ONBUILD EXPOSE 80/TCP
ONBUILD RUN echo $UNDEF_IN_ONBUILD
onbuild copy a b
ONBUILD LABEL k v
CMD ["ok"]
CMD ["twice"]

# check=skip=SecretsUsedInArgOrEnv
FROM base AS user
RUN true
