fRoM alpine aS one
RuN echo a
ruN echo b
COPY a b
Copy c d
# check=skip=all
FROM alpine AS two
run x
RUN y
ENV a=b
onBuild run z
HealthCheck CMD true
