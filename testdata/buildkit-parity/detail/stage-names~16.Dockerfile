FROM alpine AS Build-Env
run echo build

FROM alpine AS my_stage.v1
copy --from=BUILD-ENV /etc/hostname /h

FROM alpine AS APP
FROM alpine AS app
FROM alpine AS context
FROM alpine AS Scratch
FROM alpine AS Context
FROM scratch AS scratch
FROM alpine AS a1
copy --from=nginx:1.27 /etc/nginx /etc/nginx
COPY --from=0 /etc/hostname /zero
COPY --from=Build-env /x /y
RUN --mount=from=MY_STAGE.V1,target=/m true
FROM my_stage.v1 AS b1
FROM app
