from alpine
onbuild run x
onbuild RUN y
run z
