From alpine
Run a
run b
