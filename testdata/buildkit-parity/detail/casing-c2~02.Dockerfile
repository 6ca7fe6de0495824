from alpine
run a
