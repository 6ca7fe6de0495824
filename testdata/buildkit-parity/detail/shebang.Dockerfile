#!/usr/bin/env -S docker build -f
# check=skip=all
FROM alpine as a
CMD echo hi
