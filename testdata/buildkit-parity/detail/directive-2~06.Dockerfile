# CHECK = skip=JSONArgsRecommended
# check=error=true
FROM alpine as a
CMD echo a
