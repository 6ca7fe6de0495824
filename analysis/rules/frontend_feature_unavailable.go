package rules

import (
	"fmt"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var FrontendFeatureUnavailable = register(&Rule{
	Name:     "FrontendFeatureUnavailable",
	Summary:  "A flag or form needs a newer (or a labs) Dockerfile frontend than the `# syntax=` line pins.",
	Severity: Error,
	Fails:    true,
	Doc: `A ` + "`# syntax=docker/dockerfile:<version>`" + ` line makes BuildKit build the file with
that frontend, whatever the builder's own. A flag the pinned frontend does not
know fails the build (` + "`unknown flag: parents`" + `); a heredoc before 1.4 is read as
shell text and the lines after it as instructions. Either raise the pinned
version or leave the feature out.

The versions come from the "Minimum Dockerfile version" tables of the
Dockerfile reference and from the frontend's release notes (labs releases
had some flags earlier: ` + "`COPY --parents`" + ` and ` + "`--exclude`" + ` since 1.7-labs).
A floating tag (` + "`docker/dockerfile:1`" + `), a custom frontend or a digest without
a tag is not checked. A ` + "`# check=`" + ` directive before 1.8 is reported as a
warning: older frontends ignore it rather than fail.

The fix pins the version the feature needs.`,
	Bad: `# syntax=docker/dockerfile:1.4
FROM alpine
COPY --parents ./src/*/go.mod /app/
`,
	Good: `# syntax=docker/dockerfile:1.20
FROM alpine
COPY --parents ./src/*/go.mod /app/
`,
	Run:   runFrontendFeatureUnavailable,
	Scope: PerStage,
})

func runFrontendFeatureUnavailable(p *Pass) {
	ix := p.Index
	fe := ix.Frontend()
	if !fe.Pinned() || !fe.Known || fe.Floating {
		return
	}
	var syntax analysis.Directive
	for _, d := range ix.Directives {
		if d.Name == "syntax" {
			syntax = d
		}
	}
	pin := func(feat *analysis.Feature) []Fix {
		tag := feat.Since.String()
		if fe.Labs && !feat.Labs.IsZero() {
			tag = feat.Labs.String() + "-labs"
		}
		return fix(fmt.Sprintf("Pin %s:%s", fe.Image, tag), true, replace(syntax.ValueSpan, fe.Image+":"+tag))
	}
	report := func(span analysis.Span, feat *analysis.Feature, sev Severity) {
		p.Report(Diagnostic{
			Span:     span,
			Severity: sev,
			Message:  fmt.Sprintf("%s needs docker/dockerfile:%s or later; this file pins %s", feat.Name, feat.Needs(), fe),
			Fixes:    pin(feat),
		})
	}
	if feat := analysis.LookupFeature(analysis.FeatureCheck, ""); !fe.Has(feat) {
		for _, d := range ix.Directives {
			if d.Name == "check" {
				report(d.NameSpan, feat, Warning)
			}
		}
	}
	form := func(name string) *analysis.Feature { return analysis.LookupFeature(name, "") }
	heredoc, onbuild, chmod, secretEnv := form(analysis.FeatureHeredoc), form(analysis.FeatureOnbuildFrom), form(analysis.FeatureChmodSymbolic), form(analysis.FeatureSecretEnv)
	p.eachNode(func(n analysis.Node) {
		for _, f := range n.Flags {
			feat := analysis.LookupFeature(n.Cmd, f.Name.Value)
			if !fe.Has(feat) {
				report(n.Abs(f.Span), feat, Off)
				continue
			}
			switch {
			case f.Name.Value == "chmod" && symbolicMode(f.Value.Value) && !fe.Has(chmod):
				report(n.Abs(f.Value.Span), chmod, Off)
			case f.Name.Value == "mount" && !fe.Has(secretEnv):
				v := analysis.Token{Span: n.Abs(f.Value.Span), Value: f.Value.Value}
				m := analysis.ReadMount(v, p.Text(v.Span))
				env, ok := m.Field("env")
				if !ok || m.Type() != "secret" {
					continue
				}
				span := env.Span
				report(span, secretEnv, Off)
			}
		}
		if len(n.Heredocs) > 0 && !fe.Has(heredoc) {
			report(firstLine(p, n), heredoc, Off)
		}
		if n.Cmd == "onbuild" && len(n.Args) > 1 && strings.EqualFold(n.Args[0].Value, "copy") && !fe.Has(onbuild) {
			for _, a := range n.Args[1:] {
				if strings.HasPrefix(a.Value, "--from=") {
					report(n.Abs(a.Span), onbuild, Off)
				}
			}
		}
	})
}

// symbolicMode reports whether a --chmod value is in symbolic notation
// (`u+x`), not octal.
func symbolicMode(v string) bool {
	return v != "" && !strings.Contains(v, "$") && strings.Trim(v, "01234567") != ""
}
