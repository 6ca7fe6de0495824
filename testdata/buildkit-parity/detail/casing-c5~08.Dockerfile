# check=skip=ConsistentInstructionCasing;error=true
FROM alpine
ONBUILD run x
onbuild RUN y
run z
