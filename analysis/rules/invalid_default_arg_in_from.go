package rules

import (
	"strings"
	"sync"

	"github.com/distribution/reference"
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
ARG a default.

BuildKit checks a ` + "`FROM`" + ` without ARGs the same way, with the same message: an
image name with capitals (` + "`FROM Alpine`" + `, ` + "`FROM Scratch`" + `) or a malformed tag is
reported here, and the build fails on it (` + "`BuildError`" + `).`,
	Bad: `ARG TAG
FROM alpine:${TAG}
`,
	Good: `ARG TAG=3.20
FROM alpine:${TAG}
`,
	Run:   runInvalidDefaultArgInFrom,
	Scope: PerStage,
})

// parseBaseName reports whether BuildKit can name an image by base, the
// expanded value of a FROM: dockerfile2llb normalizes it with
// distribution/reference before it looks at the registry, and both the
// linter's check and the build's failure come from that call.
// The result is memoized by name: every keystroke judges the FROMs of the
// stages it touches again, and the parser's regular expressions cost more
// than the rest of those stages' rules.
func parseBaseName(base string) error {
	baseNames.mu.Lock()
	err, ok := baseNames.m[base]
	baseNames.mu.Unlock()
	if ok {
		return err
	}
	_, err = reference.ParseNormalizedNamed(base)
	baseNames.mu.Lock()
	defer baseNames.mu.Unlock()
	if len(baseNames.m) >= baseNamesMax {
		clear(baseNames.m) // names from files long closed go too
	}
	baseNames.m[base] = err
	return err
}

// baseNames holds parseBaseName's results, at most baseNamesMax of them.
var baseNames = struct {
	mu sync.Mutex
	m  map[string]error
}{m: map[string]error{}}

const baseNamesMax = 4096

func runInvalidDefaultArgInFrom(p *Pass) {
	ix := p.Index
	lex := shell.NewLex(rune(ix.Escape))
	valid := map[string]bool{}
	for _, st := range p.wantedStages() {
		// BuildKit checks every FROM, written with ARGs or not (its
		// message names an ARG all the same), a stage's name too.
		if st.Base == "" {
			continue // no base at all: InstructionError
		}
		ok, seen := valid[st.Base]
		if !seen {
			name := st.Base
			var err error
			if strings.Contains(st.Base, "$") {
				name, _, err = lex.ProcessWord(st.Base, p.GlobalEnv())
			}
			ok = err != nil || parseBaseName(name) == nil
			valid[st.Base] = ok
		}
		if ok {
			continue
		}
		p.Reportf(st.BaseSpan, nil, "Default value for ARG %v results in empty or invalid base image name", st.Base)
	}
}
