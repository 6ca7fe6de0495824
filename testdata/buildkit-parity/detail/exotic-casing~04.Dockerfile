fRoM alpine aS one
RuN echo a
ruN echo b
COPY a b
# check=skip=ConsistentInstructionCasing
Copy c d
FROM alpine AS two
run x
RUN y
ENV a=b
onBuild run z
HealthCheck CMD true
