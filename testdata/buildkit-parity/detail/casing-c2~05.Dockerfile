# check=skip=ConsistentInstructionCasing;error=true
from alpine
RUN a
