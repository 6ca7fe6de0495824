From alpine
run a
run b
