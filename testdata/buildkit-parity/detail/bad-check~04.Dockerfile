# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended;error=maybe
# check=skip=JSONArgsRecommended
FROM alpine
CMD echo hi
