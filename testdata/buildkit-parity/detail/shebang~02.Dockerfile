#!/usr/bin/env -S docker build -f
# check=skip=all
FROM alpine as a
cmd echo hi
