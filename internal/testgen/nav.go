package testgen

// NavDockerfile is a small Dockerfile for the navigation tests: stages
// named in several casings and by index, a global ARG re-declared in a
// stage, and an ENV a later stage inherits.
const NavDockerfile = `ARG GO=1.23
ARG unused=1
FROM golang:${GO} AS Build
ARG GO
ENV CGO_ENABLED=0
RUN go build -o /app . && echo $CGO_ENABLED $GO
FROM build AS test
RUN echo $CGO_ENABLED
FROM scratch
COPY --from=BUILD /app /app
COPY --from=0 /a /b
RUN --mount=type=bind,from=test,target=/t echo $CGO_ENABLED
`
