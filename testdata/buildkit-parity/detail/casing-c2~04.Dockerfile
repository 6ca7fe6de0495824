# check=error=true
from alpine
RUN a
