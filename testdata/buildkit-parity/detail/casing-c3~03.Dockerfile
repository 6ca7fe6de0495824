from alpine AS a
run x
from a
run y
run z
