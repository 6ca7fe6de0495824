# check=skip=ConsistentInstructionCasing
FROM alpine
run a
RUN b
run c
