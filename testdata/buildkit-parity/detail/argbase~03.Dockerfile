ARG BASE=tools
ARG FLAVOR=slim

FROM alpine AS tools
WORKDIR /work
SHELL ["/bin/sh", "-eu", "-c"]
ENV TOOL_HOME=/opt/tool

# Built on the stage the ARG's default names: its WORKDIR, SHELL and ENV
# carry over, as in BuildKit.
FROM ${BASE} AS check
WORKDIR relative-ok
CMD echo $TOOL_HOME
ENTRYPOINT run-check

FROM debian:bookworm-slim AS runtime-slim
WORKDIR sub
CMD echo $TOOL_HOME

FROM runtime-${FLAVOR} AS final
WORKDIR again
# check=skip=JSONArgsRecommended
CMD echo done
