ARG BASE=debian:bookworm
ARG VARIANT=3.12
ARG TAG=${VARIANT}-slim
FROM ${BASE} as base
ARG BASE
RUN echo $BASE $UNDEFINED_THING

FROM base as deps
ARG PASSWORD=hunter2
ARG NODE_VERSION
ENV AWS_SECRET_ACCESS_KEY=x
RUN echo $NODE_VERSION $NOD_VERSION

FROM python:${TAG} as py
FROM alpine${REGISTRY} as tool
FROM --platform=$TARGETPLATFORM alpine as redundant
FROM --platform=${TARGETPLATFORM:-linux/amd64} alpine as redundant2
FROM deps as Final
Run echo mixed casing
workdir app
