# check=skip=ConsistentInstructionCasing;error=true
FROM alpine AS a
run x
from a
run y
Run z
