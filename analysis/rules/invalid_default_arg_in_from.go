package rules

import (
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

var InvalidDefaultArgInFrom = register(&Rule{
	Name:     "InvalidDefaultArgInFrom",
	Summary:  "Default value for global ARG results in an empty or invalid base image name.",
	Severity: Warning,
	BuildKit: true,
	Comments: CommentsIgnored,
	Doc: `When a ` + "`FROM`" + ` line is built from ARGs, building without ` + "`--build-arg`" + ` uses their
defaults. If those leave the image name empty or malformed (` + "`FROM alpine:${TAG}`" + `
with no default for TAG gives ` + "`alpine:`" + `), a plain ` + "`docker build`" + ` fails. Give the
ARG a default.`,
	Bad: `ARG TAG
FROM alpine:${TAG}
`,
	Good: `ARG TAG=3.20
FROM alpine:${TAG}
`,
	Run:   runInvalidDefaultArgInFrom,
	Scope: PerStage,
})

// imageRef is the grammar of a normalizable image reference: an optional
// registry, lower-case path components, an optional tag and digest.
var imageRef = regexp.MustCompile(`^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?/)?` +
	`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*` +
	`(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`)

func runInvalidDefaultArgInFrom(p *Pass) {
	ix := p.Index
	lex := shell.NewLex(rune(ix.Escape))
	valid := map[string]bool{}
	for _, st := range p.wantedStages() {
		if !strings.Contains(st.Base, "$") {
			continue
		}
		ok, seen := valid[st.Base]
		if !seen {
			name, _, err := lex.ProcessWord(st.Base, p.GlobalEnv())
			ok = err != nil || imageRef.MatchString(name)
			valid[st.Base] = ok
		}
		if ok {
			continue
		}
		p.Reportf(st.BaseSpan, nil, "Default value for ARG %v results in empty or invalid base image name", st.Base)
	}
}
