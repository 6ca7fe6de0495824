# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended;error=maybe
FROM alpine
CMD echo hi
