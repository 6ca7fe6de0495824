package rules

import (
	"fmt"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var UnknownStageReference = register(&Rule{
	Name:     "UnknownStageReference",
	Summary:  "`--from=` names no earlier stage and does not look like an image.",
	Severity: Warning,
	Doc: `When ` + "`COPY --from=x`" + ` or ` + "`RUN --mount=from=x`" + ` names no stage defined before it,
BuildKit does not complain: it takes ` + "`x`" + ` for an image and pulls it from a registry
(Docker Hub for a bare name). A typo in a stage name then becomes a pull of an
unrelated, possibly hostile, image, or a confusing "pull access denied".

The rule reports a value that names no earlier stage and does not look like an
image reference (it has no registry or namespace ` + "`/`" + `, no tag ` + "`:`" + ` and no digest ` + "`@`" + `).
When the value is close to the name of an earlier stage it is an **error**, with
a fix to that name; otherwise a **warning**. To copy from an image on purpose,
write it fully (` + "`--from=docker.io/library/nginx:1.27`" + `).

A number in a mount's ` + "`from=`" + ` is reported too: BuildKit looks mounts up by name
only, so ` + "`--mount=from=0`" + ` names an image called ` + "`0`" + `, not the first stage.
So is a ` + "`FROM`" + ` that names an earlier stage in another casing (` + "`FROM Build`" + ` after
` + "`AS build`" + `): BuildKit compares a FROM exactly with the lower-case stage names,
takes it for an image, and fails on the upper-case name; the fix lowers it.
A ` + "`COPY --from=`" + ` built from variables is CopyFromVariable's to report.`,
	Bad: `FROM golang:1.23 AS builder
RUN go build -o /app .

FROM alpine
COPY --from=buidler /app /app
`,
	Good: `FROM golang:1.23 AS builder
RUN go build -o /app .

FROM alpine
COPY --from=builder /app /app
COPY --from=docker.io/library/busybox:1.36 /bin/busybox /bin/
`,
	Run:   runUnknownStageReference,
	Scope: PerStage,
})

// looksLikeImage reports whether a --from value names an image rather
// than a mistyped stage.
func looksLikeImage(v string) bool { return strings.ContainsAny(v, "/:@") }

func runUnknownStageReference(p *Pass) {
	ix := p.Index
	var contexts []analysis.NamedContext
	if p.Config != nil {
		contexts = p.Config.Contexts
	}
	stages := ix.Stages()
	for _, r := range p.refs() {
		if r.Kind == analysis.RefFrom && r.Resolution == analysis.ResolvesImage && r.Value != strings.ToLower(r.Value) {
			if t := earlierStageNamed(ix, r.Value, r.Stage); t >= 0 {
				lower := strings.ToLower(r.Value)
				p.Report(Diagnostic{
					Span:     r.Span,
					Severity: Error,
					Message:  fmt.Sprintf("FROM %s names no stage: BuildKit compares a FROM exactly with the stage names, which are lower case, and fails on the upper-case image name; write %q", r.Value, lower),
					Fixes:    fix(fmt.Sprintf("Change to %q", lower), true, replace(r.Span, lower)),
					Related:  []Related{{Span: stages.At(t).NameSpan, Message: fmt.Sprintf("stage %q is defined here", stages.At(t).Name)}},
				})
			}
			continue
		}
		if r.Kind == analysis.RefMountFrom && r.Numeric && r.Resolution == analysis.ResolvesImage {
			p.Reportf(r.Span, nil, "BuildKit looks up a mount's from= by name only: %q names the image %q, not stage %s; use the stage's name", r.Value, r.Value, r.Value)
			continue
		}
		if r.Kind == analysis.RefFrom || r.Kind == analysis.RefEpoch || r.Resolution != analysis.ResolvesImage || r.Numeric || looksLikeImage(r.Value) || r.Value == "" {
			continue
		}
		if res, _ := ix.Model().ResolveIn(r, contexts); res == analysis.ResolvesContext {
			continue // a named build context, which BuildKit looks up before images
		}
		var names []string
		for s := 0; s < r.Stage && s < stages.Len(); s++ {
			if stages.At(s).Name != "" {
				names = append(names, stages.At(s).Name)
			}
		}
		if m := analysis.Suggest(r.Value, names, false); m != "" {
			// The fix writes the name as BuildKit stores it, in lower case,
			// as StageNameCasing's rename does: both fixes at once (fix-all)
			// give what one after the other gives. The message names what
			// the fix writes.
			lower := strings.ToLower(m)
			p.Report(Diagnostic{
				Span:     r.Span,
				Severity: Error,
				Message:  `No stage named "` + r.Value + `" before this one (did you mean "` + lower + `"?): BuildKit would pull an image of that name`,
				Fixes:    fix(`Change to "`+lower+`"`, true, replace(r.Span, lower)),
				Related:  []Related{{Span: stages.At(ix.StageByName(m)).NameSpan, Message: `stage "` + m + `" is defined here`}},
			})
			continue
		}
		p.Reportf(r.Span, nil, `No stage named %q before this one: unless the build passes --build-context %s=..., BuildKit will pull the image %q from Docker Hub; write an image in full (with a registry or tag)`, r.Value, r.Value, r.Value)
	}
}

// earlierStageNamed returns the last stage before stage cur whose name is
// name in any casing, or -1.
func earlierStageNamed(ix *analysis.Index, name string, cur int) int {
	t := -1
	for _, s := range ix.StagesNamed(name) {
		if s < cur {
			t = s
		}
	}
	return t
}
