from alpine aS one
run echo a
run echo b
copy a b
copy c d
from alpine AS two
run x
run y
env a=b
onbuild run z
healthcheck CMD true
