#check=skip=FromAsCasing trailing
FROM alpine AS a
CMD echo a
