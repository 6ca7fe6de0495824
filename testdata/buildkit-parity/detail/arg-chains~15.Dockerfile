ARG REGISTRY=docker.io
ARG IMAGE=${REGISTRY}/library/alpine
ARG TAG=3.20
ARG REF=$IMAGE:$TAG
ARG EMPTY=
ARG LATER=${DEFINED_LATER:-x}
ARG DEFINED_LATER=y
FROM $REF AS one
FROM ${IMAGE}:${TAG}${EMPTY} AS two
FROM ${REF%:*}:edge AS three
# check=skip=UndefinedArgInFrom,UndefinedVar
FROM ${MISSING:-alpine} AS four
FROM ${IMAGE/docker.io/quay.io}:${TAG} AS five
FROM scratch AS six
ARG TAG
ARG REF
ARG OTHER=${TAG}-${NOT_DECLARED}
ENV FULL=${REF} COPY_TAG=$TAG
RUN echo $FULL $COPY_TAG $OTHER $REGISTRY
FROM two
ARG IMAGE=override
RUN echo $IMAGE $TAG
