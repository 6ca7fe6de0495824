# check=skip=ConsistentInstructionCasing;error=true
FROM alpine
run a
RUN b
run c
