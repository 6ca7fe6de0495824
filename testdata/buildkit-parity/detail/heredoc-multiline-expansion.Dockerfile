FROM scratch AS base
ARG KNOWN=1
COPY <<EOT /etc/one
${UNDEF_A:-
default}
EOT
COPY <<EOT /etc/two
${UNDEF_B:-x
$UNDEF_C}
EOT
COPY <<EOT /etc/three
${KNOWN:+
${UNDEF_D}}
EOT
