FROM ubuntu:24.04 as Tools
RUN apt-get update && \
    # the compilers
    apt-get install -y \
      gcc \

      make \
    # done
    && rm -rf /var/lib/apt/lists/*
ENV A=1 \
    # comment inside ENV

    B=2
ENV C 3

FROM tools AS App
COPY . /src
RUN make -C /src
CMD ["/src/app"]
