fRoM alpine aS one
RuN echo a
# check=skip=ConsistentInstructionCasing
ruN echo b
COPY a b
Copy c d
FROM alpine AS two
run x
RUN y
ENV a=b
onBuild run z
HealthCheck CMD true
