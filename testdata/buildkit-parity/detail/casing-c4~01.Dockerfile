# check=skip=ConsistentInstructionCasing
From alpine
Run a
run b
