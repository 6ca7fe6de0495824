FROM alpine
# check=skip=ConsistentInstructionCasing
run a
RUN b
run c
