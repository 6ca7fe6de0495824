# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended;error=maybe
FROM alpine
# check=skip=JSONArgsRecommended
CMD echo hi
