# syntax=docker/dockerfile:1

# check=skip=all
# check=error=true
FROM alpine as a
CMD echo a
