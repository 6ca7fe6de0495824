From alpine
# check=skip=ConsistentInstructionCasing
Run a
run b
