FROM alpine AS a
ONBUILD ENV a b
ONBUILD CMD c
ONBUILD CMD ["d"]
ONBUILD WORKDIR rel
ONBUILD HEALTHCHECK CMD true
ONBUILD EXPOSE 80:80/TCP

# check=error=true
FROM a AS b
CMD ["own"]
WORKDIR rel2
HEALTHCHECK NONE

FROM a AS unreached
CMD ["x"]

FROM b AS c
WORKDIR again

FROM a AS twice
RUN true

FROM c
COPY --from=twice /x /y
