arg BASE=debian:bookworm
arg VARIANT=3.12
arg TAG=${VARIANT}-slim
from ${BASE} AS base
arg BASE
run echo $BASE $UNDEFINED_THING

from base AS deps
arg PASSWORD=hunter2
arg NODE_VERSION
env AWS_SECRET_ACCESS_KEY=x
run echo $NODE_VERSION $NOD_VERSION

from python:${TAG} AS py
from alpine${REGISTRY} AS tool
from --platform=$TARGETPLATFORM alpine AS redundant
from --platform=${TARGETPLATFORM:-linux/amd64} alpine AS redundant2
from deps AS Final
run echo mixed casing
workdir app
