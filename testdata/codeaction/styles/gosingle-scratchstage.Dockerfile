FROM busybox AS scratch
RUN echo hi > /hi

FROM golang:1.23
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /bin/server ./cmd/server
EXPOSE 8080
CMD ["/bin/server"]
