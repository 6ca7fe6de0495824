FROM alpine as a
run x
from a
run y
Run z
