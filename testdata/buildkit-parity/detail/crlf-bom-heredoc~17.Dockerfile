# syntax=docker/dockerfile:1
# check=skip=StageNameCasing
# check=skip=all
FROM scratch as Base
COPY <<EOF /f
$UNDEF_CRLF
EOF
RUN echo a \

  b
ENV k v
CMD echo 1
CMD echo 2
ENTRYPOINT ["x"]
ENTRYPOINT y
MAINTAINER m
