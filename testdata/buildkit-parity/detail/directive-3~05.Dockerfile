#check=skip=FromAsCasing trailing
# check=skip=JSONArgsRecommended
FROM alpine as a
CMD echo a
