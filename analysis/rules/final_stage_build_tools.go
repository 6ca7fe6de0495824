package rules

import (
	"fmt"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var FinalStageBuildTools = register(&Rule{
	Name:     "FinalStageBuildTools",
	Summary:  "The image stage installs build tools (compilers, `-dev` packages, `git`) while the file has a stage to build in.",
	Severity: Information,
	Doc: `The final image is the house, not the construction site: compilers
(` + "`gcc`" + `, ` + "`build-essential`" + `, ` + "`build-base`" + `), build systems (` + "`make`" + `, ` + "`cmake`" + `), development
packages (` + "`*-dev`" + `, ` + "`*-devel`" + `) and ` + "`git`" + ` make it larger and give an attacker more to
work with, and the program rarely needs them to run. A multi-stage file
already has the place for them: install them in a build stage, build there,
and copy only the results into the image.

The rule looks at the image stages: the last stage, the stages named in the
` + "`stagehand.targets`" + ` setting, and the stages they are built ` + "`FROM`" + `, when a build
stage (one that RUNs something, not just an image copied from) exists beside them and the image says how it runs (` + "`CMD`" + `, ` + "`ENTRYPOINT`" + `,
` + "`EXPOSE`" + `, ` + "`HEALTHCHECK`" + ` or ` + "`USER`" + `): a last stage without any of them is more often
a CI step (` + "`validate`" + `, ` + "`lint`" + `) than an image. Packages installed and removed in the same ` + "`RUN`" + `
(` + "`apk add --virtual .build-deps ... && apk del .build-deps`" + `) are not reported.
` + notShippedDoc + `
Commands are read with a shell parser, so packages in ` + "`&&`" + ` chains, ` + "`if`" + ` blocks and
heredocs count.

The default severity is **information**: some images do need a compiler or
` + "`git`" + ` at run time (a language's native extensions built on first use, a tool
that clones repositories).

An image built on a compiler's own image (` + "`golang`" + `, ` + "`rust`" + `, ` + "`gcc`" + `,
` + "`buildpack-deps`" + `, ` + "`maven`" + `, ` + "`gradle`" + `) is a build environment by design (a
development or CI image, a tool that builds): it already ships a compiler, and
the rule does not report it.`,
	Bad: `FROM golang:1.23 AS build
RUN go build -o /out/app .

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y gcc make && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/app /usr/local/bin/app
CMD ["app"]
`,
	Good: `FROM golang:1.23 AS build
RUN apt-get update && apt-get install -y gcc make
RUN go build -o /out/app .

FROM debian:bookworm-slim
COPY --from=build /out/app /usr/local/bin/app
USER 65532:65532
CMD ["app"]
`,
	Run: runFinalStageBuildTools,
})

func runFinalStageBuildTools(p *Pass) {
	ix := p.Index
	shippedNodes(p, shippedTargets(p), func(t shipped, s int, n analysis.Node) bool {
		if n.Cmd != "run" || toolchainImage(ix.Stage(t.chain[len(t.chain)-1]).Base) {
			return false // a compiler's own image is a build environment on purpose
		}
		var tools []string
		for _, pkg := range installedKept(ix.ShellCommands(n)) {
			if isBuildTool(pkg) {
				tools = append(tools, pkg)
			}
		}
		if len(tools) == 0 {
			return false
		}
		where := "The final stage"
		if s != t.target {
			where = fmt.Sprintf("Stage %s, which %s is built on,", stageName(ix, s), stageName(ix, t.target))
		} else if t.target != ix.StageCount()-1 {
			where = "Target stage " + stageName(ix, s)
		}
		p.Reportf(firstLine(p, n), nil, "%s installs build tools (%s) that ship in the image; install them in a build stage such as %s and copy only the results",
			where, strings.Join(tools, ", "), stageName(ix, t.builder))
		return true
	})
}

// toolchainImages are the Docker Hub images whose purpose is building: a
// compiler and its tools come with them.
var toolchainImages = map[string]bool{
	"golang": true, "rust": true, "gcc": true, "buildpack-deps": true, "maven": true, "gradle": true,
}

// toolchainImage reports whether base, as written (variables unexpanded),
// names one of the toolchainImages, with or without its docker.io/library/
// prefix, whatever its tag or digest.
func toolchainImage(base string) bool {
	name, _, _ := strings.Cut(base, "@")
	if c := strings.LastIndexByte(name, ':'); c > strings.LastIndexByte(name, '/') {
		name = name[:c]
	}
	name = strings.ToLower(name)
	for _, prefix := range []string{"docker.io/", "index.docker.io/", "library/"} {
		name = strings.TrimPrefix(name, prefix)
	}
	return toolchainImages[name]
}
