# check=error=true
FROM alpine
run a
RUN b
run c
