FROM alpine AS unused
RUN true

# check=skip=JSONArgsRecommended
FROM alpine AS a
CMD echo a

FROM a
CMD echo b
