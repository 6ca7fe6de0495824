fRoM alpine AS one
RuN echo a
ruN echo b
COPY a b
Copy c d
FROM alpine as two
run x
RUN y
ENV a=b
onBuild run z
HealthCheck CMD true
