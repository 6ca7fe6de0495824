FROM alpine
run a
RUN b
# check=skip=ConsistentInstructionCasing
run c
