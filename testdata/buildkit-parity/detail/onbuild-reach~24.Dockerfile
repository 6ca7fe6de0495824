FROM alpine AS a
onbuild ENV a b
ONBUILD CMD c
ONBUILD CMD ["d"]
ONBUILD WORKDIR rel
ONBUILD HEALTHCHECK CMD true
ONBUILD EXPOSE 80:80/TCP

FROM a AS b
cmd ["own"]
WORKDIR rel2
HEALTHCHECK NONE

FROM a AS unreached
cmd ["x"]

FROM b AS c
workdir again

FROM a AS twice
run true

FROM c
copy --from=twice /x /y
