# CHECK = skip=JSONArgsRecommended
FROM alpine AS a
CMD echo a
