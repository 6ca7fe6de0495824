from alpine AS a
cmd ["a"]
entrypoint ["a"]
healthcheck CMD true
cmd ["b"]
entrypoint ["b"]
healthcheck NONE
onbuild CMD ["c"]
onbuild CMD ["d"]

from a AS b
cmd ["inherits"]

from alpine AS c
cmd ["1"]
cmd ["2"]
cmd ["3"]
entrypoint \
  ["x"]
entrypoint ["y"]
