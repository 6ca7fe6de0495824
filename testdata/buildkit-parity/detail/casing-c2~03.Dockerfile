# check=skip=all
from alpine
RUN a
