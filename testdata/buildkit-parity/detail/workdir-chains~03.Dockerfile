from alpine AS a
workdir rel
workdir /abs
workdir rel2
workdir ../up

from a AS b
workdir child

from alpine AS c
env DIR=/srv
workdir $DIR
workdir ${DIR}/sub
workdir sub2

from alpine AS d
arg DIR=app
workdir $DIR
workdir "quoted"
workdir ./dot
workdir ~
