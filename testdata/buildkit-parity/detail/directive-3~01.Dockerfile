#check=skip=FromAsCasing trailing
FROM alpine as a
# check=skip=JSONArgsRecommended
CMD echo a
