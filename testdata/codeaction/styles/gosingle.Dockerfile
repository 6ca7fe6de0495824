# check=skip=FromAsCasing
ARG GO=1.22
FROM --platform=$BUILDPLATFORM golang:${GO}-alpine
WORKDIR /src
COPY . .
RUN go mod download
ENV CGO_ENABLED=0
RUN go build -o /out/server ./cmd/server
EXPOSE 8080
USER 65532
CMD ["/out/server"]
