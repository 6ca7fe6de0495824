FROM alpine as a
ONBUILD ENV a b
ONBUILD CMD c
ONBUILD CMD ["d"]
ONBUILD WORKDIR rel
ONBUILD HEALTHCHECK CMD true
ONBUILD EXPOSE 80:80/TCP

FROM a as b
CMD ["own"]
WORKDIR rel2
HEALTHCHECK NONE

FROM a as unreached
CMD ["x"]

FROM b as c
WORKDIR again

FROM a as twice
RUN true

FROM c
COPY --from=twice /x /y
