package rules

import "regexp"

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
	Run: runRedundantTargetPlatform,
})

var targetPlatformOnly = regexp.MustCompile(`^\$(?:TARGETPLATFORM|\{TARGETPLATFORM\})$`)

func runRedundantTargetPlatform(p *Pass) {
	ix := p.Index
	for _, st := range ix.Stages() {
		n := ix.Node(st.First)
		f := n.Flag("platform")
		if f == nil || !targetPlatformOnly.MatchString(f.Value.Value) {
			continue
		}
		span := n.Abs(f.Span)
		p.Reportf(span, fix("Remove --platform", true, replace(withFlagSpace(p.Doc(), span), "")),
			"Setting platform to predefined %s in FROM is redundant as this is the default behavior", f.Value.Value)
	}
}
