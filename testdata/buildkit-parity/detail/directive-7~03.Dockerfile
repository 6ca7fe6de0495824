  # check=skip=all
from alpine as a
cmd echo a
