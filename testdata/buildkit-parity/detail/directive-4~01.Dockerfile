# a comment
# check=skip=all
FROM alpine as a
# check=skip=JSONArgsRecommended
CMD echo a
