FROM alpine as Build-Env
RUN echo build

FROM alpine as my_stage.v1
COPY --from=BUILD-ENV /etc/hostname /h

FROM alpine as APP
FROM alpine as app
FROM alpine as context
FROM alpine as Scratch
FROM alpine as Context
FROM scratch as scratch
FROM alpine as a1
COPY --from=nginx:1.27 /etc/nginx /etc/nginx
COPY --from=0 /etc/hostname /zero
COPY --from=Build-env /x /y
RUN --mount=from=MY_STAGE.V1,target=/m true
FROM my_stage.v1 as b1
FROM app
