# a comment
# check=skip=all
# check=skip=JSONArgsRecommended
FROM alpine as a
CMD echo a
