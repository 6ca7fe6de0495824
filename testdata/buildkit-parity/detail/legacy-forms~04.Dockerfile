FROM alpine
ENV A ""
ENV A=
ENV B C=D
LABEL x="y"
ENV E \
  f g
# check=skip=LegacyKeyValueFormat
ENV  F	g
LABEL G=h
ENV H=1 \
    I=2
LABEL a\ b c
