package rules

import (
	"fmt"
	"slices"
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
	// The fix pins the first release that has every versioned feature the
	// file uses, never one older than the pin, labs when the pin is (a
	// feature labs had first is there from that labs release): a pin for
	// one feature alone could take another away (1.7-labs to 1.8 loses
	// COPY --parents). Each stage's features are a summary an incremental
	// run keeps; only stages that use a feature the pin lacks are read.
	need := fe.Version
	missing := false
	take := func(feat *analysis.Feature) {
		v := feat.Since
		if fe.Labs && !feat.Labs.IsZero() {
			v = feat.Labs
		}
		if need.Less(v) {
			need = v
		}
		missing = missing || !fe.Has(feat)
	}
	var uses []featureUse
	for _, d := range ix.Directives {
		if d.Name == "check" {
			feat := analysis.LookupFeature(analysis.FeatureCheck, "")
			take(feat)
			uses = append(uses, featureUse{span: d.NameSpan, feat: feat, sev: Warning})
		}
	}
	end := ix.Len()
	if ix.StageCount() > 0 {
		end = ix.Stage(0).First
	}
	for _, n := range p.nodesIn(0, end) {
		uses = featureUses(p, n, fe, uses)
	}
	for _, u := range uses {
		take(u.feat)
	}
	var read []analysis.Stage
	for _, st := range ix.Stages().All() {
		had := missing
		missing = false
		for _, feat := range p.stageSummary(featuresSummary, st.Index, stageFeatures(p, fe)).([]*analysis.Feature) {
			take(feat)
		}
		if missing {
			read = append(read, st)
		}
		missing = missing || had
	}
	if !missing {
		return
	}
	for _, st := range read {
		for _, n := range p.nodesIn(st.First, st.End) {
			uses = featureUses(p, n, fe, uses)
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

var featuresSummary = newSummaryKind("frontendFeatures")

// featureUse is a versioned feature an instruction uses, and where.
type featureUse struct {
	span analysis.Span
	feat *analysis.Feature
	sev  Severity
	// quiet marks a form of a flag the pin lacks: the flag is reported.
	quiet bool
}

// stageFeatures lists the versioned features of a stage's instructions,
// each once: a stage summary, from the stage's text alone.
func stageFeatures(p *Pass, fe analysis.Frontend) func([]analysis.Node) any {
	return func(nodes []analysis.Node) any {
		var uses []featureUse
		for _, n := range nodes {
			uses = featureUses(p, n, fe, uses)
		}
		var out []*analysis.Feature
		for _, u := range uses {
			if !slices.Contains(out, u.feat) {
				out = append(out, u.feat)
			}
		}
		return out
	}
}

// featureUses appends the versioned features instruction n uses. A form
// of a flag (symbolic --chmod, a secret's env=) is quiet when fe lacks the
// flag itself, which is reported instead.
func featureUses(p *Pass, n analysis.Node, fe analysis.Frontend, uses []featureUse) []featureUse {
	add := func(span analysis.Span, feat *analysis.Feature) {
		if feat != nil {
			uses = append(uses, featureUse{span: span, feat: feat, sev: Off})
		}
	}
	form := func(name string) *analysis.Feature { return analysis.LookupFeature(name, "") }
	for _, f := range n.Flags {
		flag := analysis.LookupFeature(n.Cmd, f.Name.Value)
		add(n.Abs(f.Span), flag)
		forms := len(uses)
		switch {
		case f.Name.Value == "chmod" && symbolicMode(f.Value.Value):
			add(n.Abs(f.Value.Span), form(analysis.FeatureChmodSymbolic))
		case f.Name.Value == "mount" && strings.Contains(f.Value.Value, "env"):
			v := analysis.Token{Span: n.Abs(f.Value.Span), Value: f.Value.Value}
			m := analysis.ReadMount(v, p.Text(v.Span), p.Index.Escape)
			if env, ok := m.Field("env"); ok && m.Type() == "secret" {
				add(env.Span, form(analysis.FeatureSecretEnv))
			}
		}
		for k := forms; k < len(uses) && !fe.Has(flag); k++ {
			uses[k].quiet = true
		}
	}
	if len(n.Heredocs()) > 0 {
		add(firstLine(p, n), form(analysis.FeatureHeredoc))
	}
	if n.Cmd == "onbuild" && len(n.Args) > 1 && strings.EqualFold(n.Args[0].Value, "copy") {
		for _, a := range n.Args[1:] {
			if strings.HasPrefix(a.Value, "--from=") {
				add(n.Abs(a.Span), form(analysis.FeatureOnbuildFrom))
			}
		}
	}
	return uses
}

// symbolicMode reports whether a --chmod value is in symbolic notation
// (`u+x`), not octal.
func symbolicMode(v string) bool {
	return v != "" && !strings.Contains(v, "$") && strings.Trim(v, "01234567") != ""
}
