# CHECK = skip=JSONArgsRecommended
FROM alpine as a
CMD echo a
