FROM alpine AS tmpl
ONBUILD COPY --from=1 /x /x

FROM alpine AS data
RUN echo > /x
RUN echo more

FROM tmpl AS a
RUN cat /x

FROM tmpl AS b
RUN cat /x
