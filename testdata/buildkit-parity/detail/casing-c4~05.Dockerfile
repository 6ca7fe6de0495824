# check=skip=all
From alpine
Run a
run b
