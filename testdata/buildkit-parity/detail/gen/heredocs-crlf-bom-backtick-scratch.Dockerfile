# escape=`
FROM scratch AS build
ARG NAME=world
COPY <<EOF /plain
$NAME $UNDEF_PLAIN ${UNDEF_BRACED:-x}
EOF
COPY <<'EOF' /single
$UNDEF_SINGLE
EOF
COPY <<"EOF" /double
$UNDEF_DOUBLE
EOF
COPY <<-EOT /dash
	$UNDEF_DASH
	EOT
ADD <<A /a <<"B" /b
$UNDEF_A
A
$UNDEF_B
B
RUN <<EOF
echo $UNDEF_RUN
EOF
RUN cat <<EOF > /x && `
    echo $UNDEF_AFTER
$UNDEF_IN_BODY
EOF
COPY --chown=$UNDEF_OWNER <<EOF /owned
x
EOF
