FROM alpine
ONBUILD run x
onbuild RUN y
run z
