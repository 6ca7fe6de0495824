FROM alpine AS a
run x
from a
run y
# check=skip=ConsistentInstructionCasing
Run z
