from alpine
env A ""
env A=
env B C=D
label x="y"
env E \
  f g
env  F	g
label G=h
env H=1 \
    I=2
label a\ b c
