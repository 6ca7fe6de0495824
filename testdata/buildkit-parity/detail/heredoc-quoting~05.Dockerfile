# syntax=docker/dockerfile:1
from scratch AS build
arg NAME=world
copy <<EOF /plain.txt
hello $NAME $UNDEF_PLAIN ${UNDEF_BRACED:-x}
EOF
copy <<'EOF' /single.txt
hello $NAME $UNDEF_SINGLE
EOF
copy <<"EOF" /double.txt
hello $NAME $UNDEF_DOUBLE
EOF
copy <<-EOF /dash.txt
	hello $UNDEF_DASH
	EOF
copy <<-"EOT" /dashq.txt
	hello $UNDEF_DASHQ
	EOT
copy <<A /a.txt <<"B" /b.txt
$UNDEF_A
A
$UNDEF_B
B
run <<EOF
echo $UNDEF_RUN
EOF
run <<'EOF' cat > /x && \
    echo $UNDEF_RUN_AFTER
$UNDEF_RUN_QUOTED
EOF
run python3 <<PY
print("$UNDEF_PY")
PY
add <<EOF /add.txt
$UNDEF_ADD
EOF
run cat <<EOF1 <<EOF2
first $UNDEF_R1
EOF1
second
EOF2
cmd ["cat", "/plain.txt"]
