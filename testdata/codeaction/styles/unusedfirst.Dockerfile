FROM alpine:3.20 AS Scratchpad
RUN echo unused

FROM busybox:1.36
CMD ["true"]
