# syntax=docker/dockerfile:1

# check=skip=all
FROM alpine AS a
CMD echo a
