FROM alpine AS a
cmd ["a"]
ENTRYPOINT ["a"]
HEALTHCHECK CMD true
CMD ["b"]
ENTRYPOINT ["b"]
HEALTHCHECK NONE
ONBUILD CMD ["c"]
ONBUILD CMD ["d"]

FROM a AS b
cmd ["inherits"]

FROM alpine AS c
cmd ["1"]
CMD ["2"]
CMD ["3"]
ENTRYPOINT \
  ["x"]
ENTRYPOINT ["y"]
