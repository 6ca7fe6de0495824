arg REGISTRY=docker.io
arg IMAGE=${REGISTRY}/library/alpine
arg TAG=3.20
arg REF=$IMAGE:$TAG
arg EMPTY=
arg LATER=${DEFINED_LATER:-x}
arg DEFINED_LATER=y
from $REF AS one
from ${IMAGE}:${TAG}${EMPTY} AS two
from ${REF%:*}:edge AS three
from ${MISSING:-alpine} AS four
from ${IMAGE/docker.io/quay.io}:${TAG} AS five
from scratch AS six
arg TAG
arg REF
arg OTHER=${TAG}-${NOT_DECLARED}
env FULL=${REF} COPY_TAG=$TAG
run echo $FULL $COPY_TAG $OTHER $REGISTRY
from two
arg IMAGE=override
run echo $IMAGE $TAG
