#!/usr/bin/env -S docker build -f
# check=skip=all
FROM alpine AS a
CMD echo hi
