# check=bogus
from alpine
