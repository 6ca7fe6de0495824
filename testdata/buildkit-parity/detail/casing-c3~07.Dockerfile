FROM alpine AS a
run x
# check=skip=ConsistentInstructionCasing
from a
run y
Run z
