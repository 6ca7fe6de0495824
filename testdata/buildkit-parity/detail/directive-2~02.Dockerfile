# CHECK = skip=JSONArgsRecommended
from alpine as a
cmd echo a
