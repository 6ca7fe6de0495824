# build on alpine
FROM alpine
ARG SRC=golang:1.23
COPY --from=${SRC} /usr/local/go /usr/local/go
