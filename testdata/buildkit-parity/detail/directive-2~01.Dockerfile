# CHECK = skip=JSONArgsRecommended
# check=skip=FromAsCasing
FROM alpine as a
CMD echo a
