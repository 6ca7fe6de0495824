FROM alpine
ONBUILD run x
# check=skip=ConsistentInstructionCasing
onbuild RUN y
run z
