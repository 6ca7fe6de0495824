# check=skip=all
FROM alpine
run a
RUN b
run c
