from alpine AS a
onbuild ENV a b
onbuild CMD c
onbuild CMD ["d"]
onbuild WORKDIR rel
onbuild HEALTHCHECK CMD true
onbuild EXPOSE 80:80/TCP

from a AS b
cmd ["own"]
workdir rel2
healthcheck NONE

from a AS unreached
cmd ["x"]

from b AS c
workdir again

from a AS twice
run true

from c
copy --from=twice /x /y
