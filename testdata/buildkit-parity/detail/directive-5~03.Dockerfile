# check=skip=all
FROM alpine AS a
CMD echo a
