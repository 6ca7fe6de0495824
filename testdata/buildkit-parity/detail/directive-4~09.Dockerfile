# check=error=true
# a comment
# check=skip=all
FROM alpine as a
CMD echo a
