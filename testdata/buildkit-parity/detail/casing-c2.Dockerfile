from alpine
RUN a
