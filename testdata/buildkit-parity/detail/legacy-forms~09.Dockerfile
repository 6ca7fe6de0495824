# check=skip=all
FROM alpine
ENV A ""
ENV A=
ENV B C=D
LABEL x="y"
ENV E \
  f g
ENV  F	g
LABEL G=h
ENV H=1 \
    I=2
LABEL a\ b c
