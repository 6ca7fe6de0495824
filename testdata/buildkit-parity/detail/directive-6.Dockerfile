# escape=`
# check=skip=JSONArgsRecommended
# escape=\\
FROM alpine as a
CMD echo a
