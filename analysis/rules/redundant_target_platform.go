package rules

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

var RedundantTargetPlatform = register(&Rule{
	Name:     "RedundantTargetPlatform",
	Summary:  "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior.",
	Severity: Warning,
	BuildKit: true,
	Doc: `A stage is built for the target platform unless ` + "`--platform`" + ` says otherwise, so
` + "`FROM --platform=$TARGETPLATFORM`" + ` changes nothing. (` + "`--platform=$BUILDPLATFORM`" + ` is the
useful one, for cross-compiling.) The fix removes the flag.`,
	Bad: `FROM --platform=$TARGETPLATFORM alpine
`,
	Good: `FROM alpine
`,
	Run:   runRedundantTargetPlatform,
	Scope: PerStage,
})

func runRedundantTargetPlatform(p *Pass) {
	ix := p.Index
	var env shell.EnvGetter
	for _, st := range p.wantedStages() {
		n := ix.Node(st.First)
		f := n.Flag("platform")
		if f == nil || !strings.Contains(f.Value.Value, "TARGETPLATFORM") {
			continue
		}
		// As BuildKit: TARGETPLATFORM is the only variable expanded, and the
		// result is its value.
		if env == nil {
			env = p.GlobalEnv()
		}
		res, err := shell.NewLex(rune(ix.Escape)).ProcessWordWithMatches(f.Value.Value, env)
		if err != nil || len(res.Matched) != 1 || len(res.Unmatched) != 0 || res.Result != getVar(env, "TARGETPLATFORM") {
			continue
		}
		if _, ok := res.Matched["TARGETPLATFORM"]; !ok {
			continue
		}
		span := n.Abs(f.Span)
		p.Reportf(span, fix("Remove --platform", true, replace(withFlagSpace(p.Doc(), span), "")),
			"Setting platform to predefined %s in FROM is redundant as this is the default behavior", f.Value.Value)
	}
}
