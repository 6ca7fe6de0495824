#check=skip=FromAsCasing trailing
# check=skip=all
FROM alpine as a
CMD echo a
