# escape=`
FROM alpine:3.20 AS Forms
ENV MODE production
ENV A=1 `
    B=2
LABEL k v
MAINTAINER someone
ARG API_TOKEN
ENV DB_PASSWORD=x
WORKDIR rel
WORKDIR /abs
EXPOSE 80/TCP 127.0.0.1:81:81 82-83/Udp
CMD serve
CMD ["serve"]
ENTRYPOINT run `
    --flag
HEALTHCHECK CMD true
HEALTHCHECK NONE
ENV PATH=$PATH:/x HOME_DIR=$HOEM
RUN echo a `

    b

FROM forms as next
SHELL ["pwsh", "-Command"]
CMD Write-Host hi
