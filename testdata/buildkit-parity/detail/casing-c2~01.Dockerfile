# check=skip=ConsistentInstructionCasing
from alpine
RUN a
