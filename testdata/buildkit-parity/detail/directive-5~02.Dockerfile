# check=skip=all
FROM alpine as a
cmd echo a
