FROM debian:12 AS Base
RUN apt-get update && apt-get install -y ca-certificates
RUN echo hi > /x

FROM base
RUN --mount=type=cache,target=/root/.cache --mount=from=0,source=/x,target=/y cat /y
COPY --from=0 /x /z

FROM scratch
COPY --from=1 /z /z
COPY --from=Base /x /x
