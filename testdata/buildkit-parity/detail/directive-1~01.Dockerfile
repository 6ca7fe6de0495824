# syntax=docker/dockerfile:1

# check=skip=all
FROM alpine as a
# check=skip=JSONArgsRecommended
CMD echo a
