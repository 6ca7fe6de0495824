arg BASE=tools
arg FLAVOR=slim

from alpine AS tools
workdir /work
shell ["/bin/sh", "-eu", "-c"]
env TOOL_HOME=/opt/tool

# Built on the stage the ARG's default names: its WORKDIR, SHELL and ENV
# carry over, as in BuildKit.
from ${BASE} AS check
workdir relative-ok
cmd echo $TOOL_HOME
entrypoint run-check

from debian:bookworm-slim AS runtime-slim
workdir sub
cmd echo $TOOL_HOME

from runtime-${FLAVOR} AS final
workdir again
cmd echo done
