# escape=`
FROM alpine:3.20 AS base
ONBUILD ENV MODE production
ONBUILD CMD serve
ONBUILD WORKDIR rel
ONBUILD ARG SECRET_KEY
ONBUILD EXPOSE 80:80/TCP
ONBUILD LABEL x=$UNDEF_TRIGGER

FROM base AS unreached
RUN true

FROM base AS app
CMD ["own"]
WORKDIR rel2
