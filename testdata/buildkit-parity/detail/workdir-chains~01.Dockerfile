FROM alpine AS a
# check=skip=WorkdirRelativePath
WORKDIR rel
WORKDIR /abs
WORKDIR rel2
WORKDIR ../up

FROM a AS b
WORKDIR child

FROM alpine AS c
ENV DIR=/srv
WORKDIR $DIR
WORKDIR ${DIR}/sub
WORKDIR sub2

FROM alpine AS d
ARG DIR=app
WORKDIR $DIR
WORKDIR "quoted"
WORKDIR ./dot
WORKDIR ~
