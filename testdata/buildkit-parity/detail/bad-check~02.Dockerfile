# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended;error=maybe
from alpine
cmd echo hi
