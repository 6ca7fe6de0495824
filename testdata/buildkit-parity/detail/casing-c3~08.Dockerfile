FROM alpine AS a
run x
# check=skip=all
from a
run y
Run z
