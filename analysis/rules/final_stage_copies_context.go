package rules

import (
	"fmt"
	"path"
	"slices"

	"github.com/stagehand-ls/stagehand/analysis"
)

var FinalStageCopiesContext = register(&Rule{
	Name:     "FinalStageCopiesContext",
	Summary:  "The image stage copies the whole build context although a build stage already builds from it.",
	Severity: Warning,
	Doc: `When a build stage copies the build context (` + "`COPY . .`" + `) and builds from it,
the image needs only the results. Copying the whole context into the image
again ships the sources, tests, build files and anything else the
` + "`.dockerignore`" + ` lets through, and makes every source change invalidate the image's
layers. Copy the results from the build stage instead
(` + "`COPY --from=build /out/app /app`" + `).

The rule looks at the image stages (the last stage, the stages named in
` + "`stagehand.targets`" + `, and the stages they are built ` + "`FROM`" + `) when they say how the
container runs (` + "`CMD`" + `, ` + "`ENTRYPOINT`" + `, ` + "`EXPOSE`" + `, ` + "`HEALTHCHECK`" + ` or ` + "`USER`" + `), and reports
a ` + "`COPY`" + ` or ` + "`ADD`" + ` of ` + "`.`" + ` from the context there when a stage they copy or
mount from copies ` + "`.`" + ` too. Interpreted languages often do need their sources in the image; copy
the directories the program runs from rather than the whole context.

` + notShippedDoc + ``,
	Bad: `FROM node:22 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM node:22-slim
WORKDIR /app
COPY . .
COPY --from=build /app/dist ./dist
CMD ["node", "dist/server.js"]
`,
	Good: `FROM node:22 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY --from=build /app/dist ./dist
USER 65532:65532
CMD ["node", "dist/server.js"]
`,
	Run: runFinalStageCopiesContext,
})

// copiesWholeContext returns the argument of n that copies the whole build
// context, when n is a COPY or ADD from the context.
func copiesWholeContext(n analysis.Node) (analysis.Token, bool) {
	if (n.Cmd != "copy" && n.Cmd != "add") || n.Flag("from") != nil || len(n.Args) < 2 || len(n.Heredocs()) > 0 {
		return analysis.Token{}, false
	}
	for _, a := range n.Args[:len(n.Args)-1] {
		if v := a.Value; v != "" && path.Clean(v) == "." {
			return a, true
		}
	}
	return analysis.Token{}, false
}

var copiesContextSummary = newSummaryKind("copies-context")

func runFinalStageCopiesContext(p *Pass) {
	ix := p.Index
	// The stages that copy the whole context, in order.
	copying := p.stagesWith(copiesContextSummary, func(nodes []analysis.Node) any {
		for _, n := range nodes[1:] {
			if _, ok := copiesWholeContext(n); ok {
				return true
			}
		}
		return false
	}, func(v any) bool { return v.(bool) })
	if len(copying) == 0 {
		return
	}
	// Each target's builder here is the first stage outside its chain, among
	// those it uses, that copies the context.
	var targets []shipped
	for _, t := range shippedTargets(p) {
		// The build stage is one the target copies or mounts from: a
		// sibling (a test stage, another image) has no results to copy.
		t.builder = -1
		used := ix.Model().Reachable([]int{t.target})
		for _, s := range copying {
			if s >= t.target {
				break
			}
			if used[s] && !slices.Contains(t.chain, s) {
				t.builder = s
				break
			}
		}
		if t.builder >= 0 {
			targets = append(targets, t)
		}
	}
	shippedNodes(p, targets, func(t shipped, s int, n analysis.Node) bool {
		a, ok := copiesWholeContext(n)
		if !ok {
			return false
		}
		where := "The final stage"
		if s != t.target {
			where = fmt.Sprintf("Stage %s, which %s is built on,", stageName(ix, s), stageName(ix, t.target))
		}
		p.Reportf(n.Abs(a.Span), nil, "%s copies the whole build context into the image, while stage %s already builds from it: copy the results from %s instead",
			where, stageName(ix, t.builder), stageName(ix, t.builder))
		return true
	})
}
