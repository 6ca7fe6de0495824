from scratch AS base
arg KNOWN=1
copy <<EOT /etc/one
${UNDEF_A:-
default}
EOT
copy <<EOT /etc/two
${UNDEF_B:-x
$UNDEF_C}
EOT
copy <<EOT /etc/three
${KNOWN:+
${UNDEF_D}}
EOT
