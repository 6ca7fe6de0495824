# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended;error=maybe
FROM alpine
cmd echo hi
