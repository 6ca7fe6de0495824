# syntax=docker/dockerfile:1

# check=skip=all
# check=skip=JSONArgsRecommended
FROM alpine as a
CMD echo a
