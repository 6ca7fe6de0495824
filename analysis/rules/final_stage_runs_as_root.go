package rules

import (
	"fmt"
	"slices"
	"strings"
)

var FinalStageRunsAsRoot = register(&Rule{
	Name:     "FinalStageRunsAsRoot",
	Summary:  "The image runs as root: no `USER` in the image stage or the stages it is built on, while a build stage exists.",
	Severity: Information,
	Doc: `A container runs as the image's ` + "`USER`" + `, root when none is set. In a multi-stage
file the build stages may need root to install packages, but the image only
has to run the program: a ` + "`USER`" + ` with an unprivileged ID (` + "`USER 65532:65532`" + `,
or a user the image creates) limits what a compromised process can do.

The rule reports the image stages (the last stage and the stages named in
` + "`stagehand.targets`" + `, when they say how the container runs and a build stage, one that RUNs
something, exists beside them) when neither they nor the stages they are built on set ` + "`USER`" + `.
A base image that already runs unprivileged (a tag or name with ` + "`nonroot`" + `,
Chainguard's images, Windows Nano Server, whose default user is
` + "`ContainerUser`" + `), or one named by a variable alone (` + "`FROM ${BASE_IMAGE}`" + `), is not
reported; other base images may set a user
Stagehand cannot see, hence the default severity **information**.
An image stage built on another image stage that runs as root (` + "`FROM prod AS final`" + `)
is one cause: it is reported once, at the stage below, where a ` + "`USER`" + ` mends both.
` + notShippedDoc + `

There is no automatic fix: the right user depends on the files the program
writes and the ports it binds.`,
	Bad: `FROM golang:1.23 AS build
RUN CGO_ENABLED=0 go build -o /out/app .

FROM alpine:3.20
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
`,
	Good: `FROM golang:1.23 AS build
RUN CGO_ENABLED=0 go build -o /out/app .

FROM alpine:3.20
COPY --from=build /out/app /app
USER 65532:65532
ENTRYPOINT ["/app"]
`,
	Run: runFinalStageRunsAsRoot,
})

func runFinalStageRunsAsRoot(p *Pass) {
	ix := p.Index
	var root []shipped
	for _, t := range shippedTargets(p) {
		user := false
		for _, s := range t.chain {
			st := ix.Stage(s)
			for _, n := range p.nodesIn(st.First+1, st.End) {
				user = user || n.Cmd == "user"
			}
		}
		base := strings.ToLower(ix.Stage(t.chain[len(t.chain)-1]).Base)
		if user || strings.Contains(base, "nonroot") || strings.HasPrefix(base, "cgr.dev/chainguard/") || strings.Contains(base, "nanoserver") || strings.HasPrefix(base, "$") {
			continue
		}
		root = append(root, t)
	}
	for _, t := range root {
		// A target built on another that runs as root is one cause, one
		// finding: at the target below, where a USER mends both.
		if slices.ContainsFunc(root, func(u shipped) bool { return u.target != t.target && slices.Contains(t.chain, u.target) }) {
			continue
		}
		what := "The final stage"
		if t.target != ix.StageCount()-1 {
			what = "Target stage " + stageName(ix, t.target)
		}
		var above []string
		for _, u := range root {
			if u.target != t.target && slices.Contains(u.chain, t.target) {
				above = append(above, stageName(ix, u.target))
			}
		}
		also := ""
		switch len(above) {
		case 0:
		case 1:
			also = fmt.Sprintf(", and so does stage %s, built on it", above[0])
		default:
			also = fmt.Sprintf(", and so do stages %s, built on it", strings.Join(above, ", "))
		}
		p.Reportf(firstLine(p, ix.Node(ix.Stage(t.target).First)), nil, "%s runs as root%s: no USER in it or the stages it is built on; add a USER with an unprivileged ID (the build in %s can keep root)",
			what, also, stageName(ix, t.builder))
	}
}
