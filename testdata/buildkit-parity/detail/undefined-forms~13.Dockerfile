from scratch
arg A=1
env SELF=${SELF}x
env ESC=\$NOT_VAR
env SQ='$SINGLE_QUOTED'
env DQ="$DOUBLE_QUOTED"
env ERR=${A:?unset}
env B=$A C=$B
env D=$C E=${F} F=1
label x="${A}" y='${NOT_EXPANDED}' z=$Z_UNDEF
copy $A/src /dst/$DSTVAR
add --chown=$OWNER:$GROUP a b
user $UID:${GID:-0}
volume /v/$VOL
expose 80$PORT_UNDEF
arg G=$H_UNDEF
arg TARGETARCH
run echo $TARGETARCH
workdir /w/$BUILDARCH
env PATH=/x:$PATH
env HOME=$HOME/h
