FROM alpine
ONBUILD run x
onbuild RUN y
# check=skip=ConsistentInstructionCasing
run z
