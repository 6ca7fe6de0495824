#!/usr/bin/env -S docker build -f
# check=skip=all
from alpine as a
cmd echo hi
