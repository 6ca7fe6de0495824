# check=skip=ConsistentInstructionCasing;error=true
From alpine
Run a
run b
