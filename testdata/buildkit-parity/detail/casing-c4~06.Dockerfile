# check=error=true
From alpine
Run a
run b
