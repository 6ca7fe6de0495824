# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended;error=maybe
# check=skip=all
FROM alpine
CMD echo hi
