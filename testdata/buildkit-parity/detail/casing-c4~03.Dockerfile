from alpine
run a
run b
