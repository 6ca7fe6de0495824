# check=skip=JSONArgsRecommended, FromAsCasing
  # check=skip=all
FROM alpine as a
CMD echo a
