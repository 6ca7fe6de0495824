from scratch AS a
arg V=1
env E=2
onbuild ENV X=$UNDEF_ONB Y=$V F=$E
onbuild LABEL y=$UNDEF_LABEL
onbuild ENV Z=1 \
    TOKEN_VALUE=2
onbuild ARG API_KEY

from a AS b
env W=$Z W2=$ALSO_UNDEF
label w=$X
