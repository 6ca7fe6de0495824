package rules

import (
	"path"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var FinalStageDevDependencies = register(&Rule{
	Name:     "FinalStageDevDependencies",
	Summary:  "The image stage installs development dependencies (`npm ci` without `--omit=dev`, `pip install -r requirements-dev.txt`, `poetry install` without `--only main`).",
	Severity: Warning,
	Doc: `Test runners, linters, bundlers and type checkers belong to the build, not to
the image: they add size and attack surface, and the program does not load
them. In a multi-stage file, install them in the build stage and install only
the production dependencies in the image.

The rule looks at the image stages (the last stage, the stages named in
` + "`stagehand.targets`" + `, and the stages they are built ` + "`FROM`" + `, when the image says how
it runs and a build stage exists beside them) and reports:

- ` + "`npm ci`" + ` / ` + "`npm install`" + ` (no package named) without ` + "`--omit=dev`" + `, ` + "`--production`" + ` or
  ` + "`--only=prod`" + `, ` + "`yarn install`" + ` without ` + "`--production`" + `, ` + "`pnpm install`" + ` without ` + "`--prod`" + `,
  unless ` + "`NODE_ENV=production`" + ` is set for the command;
- ` + "`pip install`" + ` of a requirements file or an extra named for development or
  tests (` + "`requirements-dev.txt`" + `, ` + "`.[test]`" + `);
- ` + "`poetry install`" + ` without ` + "`--only main`" + ` or ` + "`--without dev`" + `, ` + "`uv sync`" + ` without
  ` + "`--no-dev`" + `, ` + "`composer install`" + ` without ` + "`--no-dev`" + `.

` + notShippedDoc + `

The fix adds the flag that leaves development dependencies out, where one
exists.`,
	Bad: `FROM node:22 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM node:22-slim
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY --from=build /app/dist ./dist
CMD ["node", "dist/server.js"]
`,
	Good: `FROM node:22 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM node:22-slim
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY --from=build /app/dist ./dist
USER 65532:65532
CMD ["node", "dist/server.js"]
`,
	Run: runFinalStageDevDependencies,
})

// devInstall reports whether c installs development dependencies, and the
// flag that would leave them out ("" when there is none to add).
func devInstall(c analysis.SimpleCommand, prodEnv bool) (bool, string) {
	if len(c.Words) < 2 {
		return c.Words[0] == "yarn" && !prodEnv, ""
	}
	verb := c.Words[1]
	positional := 0
	for _, a := range c.Words[2:] {
		if !strings.HasPrefix(a, "-") {
			positional++
		}
	}
	if v, _ := c.Assign("NODE_ENV"); v == "production" || c.AssignComputed("NODE_ENV") {
		prodEnv = true // or may be: a NODE_ENV the build sets is given the benefit of the doubt
	}
	switch c.Words[0] {
	case "npm":
		if (verb == "ci" || verb == "install" || verb == "i") && positional == 0 && !prodEnv &&
			!c.Has("--omit=dev") && !c.Has("--production") && !c.Has("--only=prod") && !c.Has("--only=production") && !c.Has("dev") {
			return true, "--omit=dev"
		}
	case "yarn":
		if verb == "install" && !prodEnv && !c.Has("--production") && !c.Has("--prod") {
			return true, "--production"
		}
	case "pnpm":
		if (verb == "install" || verb == "i") && positional == 0 && !prodEnv && !c.Has("--prod") && !c.Has("-P") {
			return true, "--prod"
		}
	case "poetry":
		if verb == "install" && !c.Has("main") && !c.Has("--only=main") && !c.Has("--no-dev") && !c.HasPrefix("--without") {
			return true, "--only main"
		}
	case "uv":
		if verb == "sync" && !c.Has("--no-dev") && !c.HasPrefix("--only-group") && !c.Has("--no-default-groups") {
			return true, "--no-dev"
		}
	case "composer":
		if verb == "install" && !c.Has("--no-dev") {
			return true, "--no-dev"
		}
	case "pip", "pip3", "python", "python3":
		args := c.Words[1:]
		if c.Words[0] == "python" || c.Words[0] == "python3" {
			if len(args) < 3 || args[0] != "-m" || !strings.HasPrefix(args[1], "pip") {
				return false, ""
			}
			args = args[2:]
		}
		if len(args) == 0 || args[0] != "install" {
			return false, ""
		}
		for k, a := range args {
			file := ""
			switch {
			case (a == "-r" || a == "--requirement") && k+1 < len(args):
				file = args[k+1]
			case strings.HasPrefix(a, "--requirement="):
				file = strings.TrimPrefix(a, "--requirement=")
			case strings.Contains(a, "[") && !strings.HasPrefix(a, "-"):
				extras := a[strings.IndexByte(a, '[')+1:]
				for _, e := range strings.FieldsFunc(strings.TrimSuffix(extras, "]"), func(r rune) bool { return r == ',' }) {
					if devName(e) {
						return true, ""
					}
				}
			}
			if file != "" && devName(strings.TrimSuffix(path.Base(file), path.Ext(file))) {
				return true, ""
			}
		}
	}
	return false, ""
}

// devName reports whether a requirements file or extra is named for
// development or tests: requirements-dev, dev-requirements, test, ...
func devName(name string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		switch w {
		case "dev", "develop", "development", "test", "tests", "testing", "lint":
			return true
		}
	}
	return false
}

func runFinalStageDevDependencies(p *Pass) {
	ix := p.Index
	shippedNodes(p, shippedTargets(p), func(t shipped, _ int, n analysis.Node) bool {
		if n.Cmd != "run" {
			return false
		}
		prodEnv := false
		for _, v := range build(p).VisibleVars(n.Index) {
			if v.Decl.Name.Value == "NODE_ENV" {
				prodEnv = v.Decl.Value.Value == "production"
			}
		}
		for _, c := range ix.ShellCommands(n) {
			dev, flag := devInstall(c, prodEnv)
			if !dev {
				continue
			}
			cmd := strings.Join(c.Words[:min(2, len(c.Words))], " ")
			var fixes []Fix
			raw := p.Text(n.Span())
			if at := strings.Index(raw, cmd); flag != "" && at >= 0 && strings.Count(raw, cmd) == 1 {
				end := n.Start + at + len(cmd)
				fixes = fix("Add "+flag+" to "+cmd, true, replace(analysis.Span{Start: end, End: end}, " "+flag))
			}
			p.Reportf(firstLine(p, n), fixes, "`%s` installs development dependencies into the image; install them in build stage %s and only production ones here", cmd, stageName(ix, t.builder))
			return true
		}
		return false
	})
}
