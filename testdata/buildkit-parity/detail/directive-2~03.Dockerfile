# CHECK = skip=JSONArgsRecommended
FROM alpine as a
cmd echo a
