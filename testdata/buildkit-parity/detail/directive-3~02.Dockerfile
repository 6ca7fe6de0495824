#check=skip=FromAsCasing trailing
from alpine as a
cmd echo a
