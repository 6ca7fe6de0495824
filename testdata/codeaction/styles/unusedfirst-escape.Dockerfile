FROM alpine AS unused
RUN true

# escape=`
FROM alpine AS a
RUN echo \
  hi
