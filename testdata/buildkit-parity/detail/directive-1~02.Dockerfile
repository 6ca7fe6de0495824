# syntax=docker/dockerfile:1

# check=skip=all
from alpine as a
cmd echo a
