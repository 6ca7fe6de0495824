FROM alpine AS a
workdir rel
WORKDIR /abs
WORKDIR rel2
WORKDIR ../up

FROM a AS b
workdir child

FROM alpine AS c
env DIR=/srv
WORKDIR $DIR
WORKDIR ${DIR}/sub
WORKDIR sub2

FROM alpine AS d
arg DIR=app
WORKDIR $DIR
WORKDIR "quoted"
WORKDIR ./dot
WORKDIR ~
