FROM alpine as a
WORKDIR rel
WORKDIR /abs
WORKDIR rel2
WORKDIR ../up

FROM a as b
WORKDIR child

FROM alpine as c
ENV DIR=/srv
WORKDIR $DIR
WORKDIR ${DIR}/sub
WORKDIR sub2

FROM alpine as d
ARG DIR=app
WORKDIR $DIR
WORKDIR "quoted"
WORKDIR ./dot
WORKDIR ~
