# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended;error=maybe
# check=error=true
FROM alpine
CMD echo hi
