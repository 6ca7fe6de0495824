ARG BASE=tools
ARG FLAVOR=slim

FROM alpine AS tools
workdir /work
SHELL ["/bin/sh", "-eu", "-c"]
ENV TOOL_HOME=/opt/tool

# Built on the stage the ARG's default names: its WORKDIR, SHELL and ENV
# carry over, as in BuildKit.
FROM ${BASE} AS check
workdir relative-ok
CMD echo $TOOL_HOME
ENTRYPOINT run-check

FROM debian:bookworm-slim AS runtime-slim
workdir sub
CMD echo $TOOL_HOME

FROM runtime-${FLAVOR} AS final
workdir again
CMD echo done
