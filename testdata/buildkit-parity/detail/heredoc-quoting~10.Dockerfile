# syntax=docker/dockerfile:1
# check=error=true
FROM scratch AS build
ARG NAME=world
COPY <<EOF /plain.txt
hello $NAME $UNDEF_PLAIN ${UNDEF_BRACED:-x}
EOF
COPY <<'EOF' /single.txt
hello $NAME $UNDEF_SINGLE
EOF
COPY <<"EOF" /double.txt
hello $NAME $UNDEF_DOUBLE
EOF
COPY <<-EOF /dash.txt
	hello $UNDEF_DASH
	EOF
COPY <<-"EOT" /dashq.txt
	hello $UNDEF_DASHQ
	EOT
COPY <<A /a.txt <<"B" /b.txt
$UNDEF_A
A
$UNDEF_B
B
RUN <<EOF
echo $UNDEF_RUN
EOF
RUN <<'EOF' cat > /x && \
    echo $UNDEF_RUN_AFTER
$UNDEF_RUN_QUOTED
EOF
RUN python3 <<PY
print("$UNDEF_PY")
PY
ADD <<EOF /add.txt
$UNDEF_ADD
EOF
RUN cat <<EOF1 <<EOF2
first $UNDEF_R1
EOF1
second
EOF2
CMD ["cat", "/plain.txt"]
