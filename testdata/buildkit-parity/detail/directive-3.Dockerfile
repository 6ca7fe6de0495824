#check=skip=FromAsCasing trailing
FROM alpine as a
CMD echo a
