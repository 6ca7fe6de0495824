# check=skip=ConsistentInstructionCasing
FROM alpine
ONBUILD run x
onbuild RUN y
run z
