from alpine AS base
onbuild ENV a b
onbuild CMD echo onbuild
onbuild ARG TOKEN
onbuild WORKDIR rel
onbuild EXPOSE 80/TCP
onbuild RUN echo $UNDEF_IN_ONBUILD
onbuild copy a b
onbuild LABEL k v
cmd ["ok"]
cmd ["twice"]

from base AS user
run true
