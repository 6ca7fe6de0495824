#check=skip=FromAsCasing trailing
# check=error=true
FROM alpine as a
CMD echo a
