FROM alpine AS a
run x
# check=error=true
from a
run y
Run z
