package rules

import (
	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/refactor"
)

var SourceCopiedTooEarly = register(&Rule{
	Name:     "SourceCopiedTooEarly",
	Summary:  "The source is copied before instructions that do not need it, so every source change rebuilds them.",
	Severity: Information,
	Doc: `BuildKit reuses a cached layer only while every layer before it is unchanged. When
` + "`COPY . .`" + ` comes before the dependency install (` + "`npm ci`" + `, ` + "`pip install -r`" + `,
` + "`go mod download`" + `, ` + "`mvn dependency:go-offline`" + `, ...) or before system package installs,
any edit of any source file reinstalls everything. Copy the dependency manifests first,
install, then copy the source.

The fix (also the *Reorder layers for caching* refactoring) reads the build context (the
Dockerfile's folder, or the one context the Compose services or Bake targets building it
name, with the .dockerignore BuildKit picks): it copies every manifest, lockfile and workspace member manifest the install
reads (pnpm, yarn and npm workspaces, Go and uv workspaces, Maven modules, Gradle
multi-projects), keeping the folder layout, and is not offered when the context does not show
them. A build with no dependency step gets one (` + "`mvn dependency:go-offline`" + `, Gradle
` + "`dependencies`" + ` of every project, ` + "`go mod download`" + `, ` + "`dotnet restore`" + `, ` + "`cargo fetch`" + `
with a placeholder target for a one-package Cargo build). A stage that installs its dependencies before the source already (` + "`pnpm fetch`" + `,
cargo-chef, ` + "`go mod download`" + `, ` + "`uv sync --no-install-project`" + `) is not reported. It moves
only what cannot change meaning: a moved RUN keeps the WORKDIR, USER, SHELL, ARG and ENV it
had and its order among the other RUNs. It is reported as information: the build is correct,
only slower.`,
	Bad: `FROM node:20
WORKDIR /app
COPY . .
RUN npm ci
CMD ["node", "server.js"]
`,
	Good: `FROM node:20
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
CMD ["node", "server.js"]
`,
	Run: runSourceCopiedTooEarly,
})

func runSourceCopiedTooEarly(p *Pass) {
	var ctx analysis.BuildContext
	if p.Config != nil {
		ctx = p.Config.Context
	}
	// Besides its stage, a plan reads the build context and the line
	// ending of its edit (read from the start of the file), keyed as
	// such: the first 4 KB as a slice, which crosses a chunk of the
	// document, were a copy at every keystroke.
	base := p.memoBase(ctx, analysis.Newline(p.Doc()))
	p.memoStages(nil, base, ctx, func(s int, ctx analysis.BuildContext) []Diagnostic { return sourceCopiedTooEarly(p, s, ctx) })
}

// sourceCopiedTooEarly returns the finding of stage s, if any.
func sourceCopiedTooEarly(p *Pass, s int, ctx analysis.BuildContext) []Diagnostic {
	ix := p.Index
	plan, _ := refactor.PlanLayers(ix, s, ctx)
	if plan == nil {
		return nil
	}
	src := ix.Node(plan.SourceCopy)
	d := Diagnostic{
		Span: firstLine(p, src),
		// Not preferred: a refactoring the user chooses, never applied by
		// --fix or an editor's auto-fix.
		Fixes: fix("Reorder layers for caching", false, plan.Edit),
	}
	if len(plan.Installs) > 0 || len(plan.Added) > 0 {
		k := 0
		if len(plan.Installs) > 0 {
			k = plan.Installs[0]
		} else {
			k = plan.Split[0]
		}
		in := ix.Node(k)
		d.Message = "The source is copied before the dependencies are installed: every source change reinstalls them"
		d.Related = []Related{{Span: firstLine(p, in), Message: "the dependency install that could come before the source"}}
	} else {
		in := ix.Node(plan.Moved[0])
		d.Message = "The source is copied before instructions that do not need it: every source change reruns them"
		d.Related = []Related{{Span: firstLine(p, in), Message: "an instruction that does not need the source"}}
	}
	return []Diagnostic{d}
}
