  # check=skip=all
# check=skip=all
FROM alpine as a
CMD echo a
