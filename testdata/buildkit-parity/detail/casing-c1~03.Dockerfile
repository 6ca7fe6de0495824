from alpine
run a
run b
run c
