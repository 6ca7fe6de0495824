# syntax=docker/dockerfile:1
# check=skip=StageNameCasing
from scratch as Base
copy <<EOF /f
$UNDEF_CRLF
EOF
run echo a \

  b
env k v
cmd echo 1
cmd echo 2
entrypoint ["x"]
entrypoint y
maintainer m
