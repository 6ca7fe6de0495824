  # check=skip=all
# check=skip=FromAsCasing,JSONArgsRecommended
FROM alpine as a
CMD echo a
