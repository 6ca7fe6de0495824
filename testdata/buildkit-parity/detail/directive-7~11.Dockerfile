# check=skip=FromAsCasing;error=true
  # check=skip=all
FROM alpine as a
CMD echo a
