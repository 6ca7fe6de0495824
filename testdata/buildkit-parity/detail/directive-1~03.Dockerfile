# syntax=docker/dockerfile:1

# check=skip=all
FROM alpine as a
cmd echo a
