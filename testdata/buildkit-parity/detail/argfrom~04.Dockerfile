ARG BASE=debian:bookworm
ARG VARIANT=3.12
ARG TAG=${VARIANT}-slim
FROM ${BASE} AS base
ARG BASE
RUN echo $BASE $UNDEFINED_THING

FROM base AS deps
ARG PASSWORD=hunter2
ARG NODE_VERSION
ENV AWS_SECRET_ACCESS_KEY=x
RUN echo $NODE_VERSION $NOD_VERSION

FROM python:${TAG} AS py
FROM alpine${REGISTRY} AS tool
# check=skip=RedundantTargetPlatform
FROM --platform=$TARGETPLATFORM alpine AS redundant
FROM --platform=${TARGETPLATFORM:-linux/amd64} alpine AS redundant2
FROM deps AS Final
Run echo mixed casing
workdir app
