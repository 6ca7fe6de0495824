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

The fix pins the first release that has every versioned feature the file
uses, labs when the file pins labs, so that raising the pin for one feature
does not take another away.`,
	Bad: `# syntax=docker/dockerfile:1.4
FROM alpine
COPY --parents ./src/*/go.mod /app/
`,
	Good: `# syntax=docker/dockerfile:1.20
FROM alpine
COPY --parents ./src/*/go.mod /app/
`,
	Run: runFrontendFeatureUnavailable,
	// File: the fix pins a release that has every feature of the file, so
	// a finding's fix depends on every stage.
	Scope: File,
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
	// Every versioned feature the file uses, and where.
	type use struct {
		span analysis.Span
		feat *analysis.Feature
		sev  Severity
		// quiet: a form of a flag the pin lacks, reported as the flag
		quiet bool
	}
	var uses []use
	add := func(span analysis.Span, feat *analysis.Feature, sev Severity) {
		if feat != nil {
			uses = append(uses, use{span: span, feat: feat, sev: sev})
		}
	}
	for _, d := range ix.Directives {
		if d.Name == "check" {
			add(d.NameSpan, analysis.LookupFeature(analysis.FeatureCheck, ""), Warning)
		}
	}
	form := func(name string) *analysis.Feature { return analysis.LookupFeature(name, "") }
	heredoc, onbuild, chmod, secretEnv := form(analysis.FeatureHeredoc), form(analysis.FeatureOnbuildFrom), form(analysis.FeatureChmodSymbolic), form(analysis.FeatureSecretEnv)
	p.eachNode(func(n analysis.Node) {
		for _, f := range n.Flags {
			flag := analysis.LookupFeature(n.Cmd, f.Name.Value)
			add(n.Abs(f.Span), flag, Off)
			forms := len(uses)
			switch {
			case f.Name.Value == "chmod" && symbolicMode(f.Value.Value):
				add(n.Abs(f.Value.Span), chmod, Off)
			case f.Name.Value == "mount":
				v := analysis.Token{Span: n.Abs(f.Value.Span), Value: f.Value.Value}
				m := analysis.ReadMount(v, p.Text(v.Span))
				if env, ok := m.Field("env"); ok && m.Type() == "secret" {
					add(env.Span, secretEnv, Off)
				}
			}
			for k := forms; k < len(uses) && !fe.Has(flag); k++ {
				uses[k].quiet = true
			}
		}
		if len(n.Heredocs) > 0 {
			add(firstLine(p, n), heredoc, Off)
		}
		if n.Cmd == "onbuild" && len(n.Args) > 1 && strings.EqualFold(n.Args[0].Value, "copy") {
			for _, a := range n.Args[1:] {
				if strings.HasPrefix(a.Value, "--from=") {
					add(n.Abs(a.Span), onbuild, Off)
				}
			}
		}
	})
	// The fix pins the first release that has every feature the file uses,
	// never one older than the pin, labs when the pin is (a feature labs
	// had first is there from that labs release): a pin for one feature
	// alone could take away another (1.7-labs to 1.8 loses COPY --parents).
	need := fe.Version
	for _, u := range uses {
		v := u.feat.Since
		if fe.Labs && !u.feat.Labs.IsZero() {
			v = u.feat.Labs
		}
		if need.Less(v) {
			need = v
		}
	}
	tag := need.String()
	if fe.Labs {
		tag += "-labs"
	}
	for _, u := range uses {
		if fe.Has(u.feat) || u.quiet {
			continue
		}
		p.Report(Diagnostic{
			Span:     u.span,
			Severity: u.sev,
			Message:  fmt.Sprintf("%s needs docker/dockerfile:%s or later; this file pins %s", u.feat.Name, u.feat.Needs(), fe),
			Fixes:    fix(fmt.Sprintf("Pin %s:%s", fe.Image, tag), true, replace(syntax.ValueSpan, fe.Image+":"+tag)),
		})
	}
}

// symbolicMode reports whether a --chmod value is in symbolic notation
// (`u+x`), not octal.
func symbolicMode(v string) bool {
	return v != "" && !strings.Contains(v, "$") && strings.Trim(v, "01234567") != ""
}
