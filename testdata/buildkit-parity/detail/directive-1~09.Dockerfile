# check=error=true
# syntax=docker/dockerfile:1

# check=skip=all
FROM alpine as a
CMD echo a
