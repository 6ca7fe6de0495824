package testgen

import (
	"fmt"
	"strings"
)

// LintCase is one Dockerfile of LintMatrix, named for what it combines.
type LintCase struct {
	Name, Text string
}

// lintBodies are the instructions of LintMatrix's files: each holds
// findings of BuildKit's checks in one area. `\` at a line end is the
// continuation, written with the file's escape token; BASE is the base of
// the first stage.
var lintBodies = []struct{ name, text string }{
	{"heredocs", `FROM BASE AS build
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
RUN cat <<EOF > /x && \
    echo $UNDEF_AFTER
$UNDEF_IN_BODY
EOF
COPY --chown=$UNDEF_OWNER <<EOF /owned
x
EOF
`},
	{"forms", `FROM BASE AS Forms
ENV MODE production
ENV A=1 \
    B=2
LABEL k v
MAINTAINER someone
ARG API_TOKEN
ENV DB_PASSWORD=x
WORKDIR rel
WORKDIR /abs
EXPOSE 80/TCP 127.0.0.1:81:81 82-83/Udp
CMD serve
CMD ["serve"]
ENTRYPOINT run \
    --flag
HEALTHCHECK CMD true
HEALTHCHECK NONE
ENV PATH=$PATH:/x HOME_DIR=$HOEM
RUN echo a \

    b

FROM forms as next
SHELL ["pwsh", "-Command"]
CMD Write-Host hi
`},
	{"onbuild", `FROM BASE AS base
ONBUILD ENV MODE production
ONBUILD CMD serve
ONBUILD WORKDIR rel
ONBUILD ARG SECRET_KEY
ONBUILD EXPOSE 80:80/TCP
ONBUILD LABEL x=$UNDEF_TRIGGER

FROM base AS unreached
RUN true

FROM base AS app
CMD ["own"]
WORKDIR rel2
`},
}

// LintMatrix returns Dockerfiles in the styles BuildKit's checks may read
// differently: each of lintBodies with LF or CRLF line ends, with or
// without a byte order mark, with the backslash or the backtick escape,
// built on scratch or on an image.
func LintMatrix() []LintCase {
	var out []LintCase
	for _, body := range lintBodies {
		for _, nl := range []string{"\n", "\r\n"} {
			for _, bom := range []bool{false, true} {
				for _, esc := range []string{`\`, "`"} {
					for _, base := range []string{"scratch", "alpine:3.20"} {
						text := strings.ReplaceAll(body.text, "BASE", base)
						if esc != `\` {
							text = "# escape=" + esc + "\n" + strings.ReplaceAll(text, "\\\n", esc+"\n")
						}
						text = strings.ReplaceAll(text, "\n", nl)
						if bom {
							text = "\uFEFF" + text
						}
						name := fmt.Sprintf("%s-%s-%s-%s-%s", body.name,
							map[string]string{"\n": "lf", "\r\n": "crlf"}[nl],
							map[bool]string{false: "nobom", true: "bom"}[bom],
							map[string]string{`\`: "backslash", "`": "backtick"}[esc],
							strings.Split(base, ":")[0])
						out = append(out, LintCase{name, text})
					}
				}
			}
		}
	}
	return out
}
