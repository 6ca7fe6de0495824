FROM golang:1.22 as Compile
LABEL org.opencontainers.image.title="😀🚀 app"
WORKDIR /src
COPY . .
RUN go build -o /bin/app .

FROM alpine:3.20 as Final
LABEL emoji="🐳🐳" maintainer="x"
ENV GREETING 👋 hello
RUN --mount=type=bind,source=/😀,target=/m,from=compile ls /m
COPY --chown=1000 --from=0 /bin/app /app
MAINTAINER 🐳 Dev <dev@x.org>
EXPOSE 80/TCP
CMD echo "😀" && /app
