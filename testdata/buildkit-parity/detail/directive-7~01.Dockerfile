  # check=skip=all
# check=skip=FromAsCasing
FROM alpine as a
CMD echo a
