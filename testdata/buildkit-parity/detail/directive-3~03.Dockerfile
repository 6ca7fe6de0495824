#check=skip=FromAsCasing trailing
FROM alpine as a
cmd echo a
