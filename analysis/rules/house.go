package rules

import (
	"path"
	"slices"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// This file holds what the "house, not construction site" rules share: the
// image stages (the targets and the stages they are built on), the build
// stages beside them, and the packages a RUN installs and removes.

// shipped describes one target: its stage, the stages whose layers it
// ships (its chain: the target and the stages it is built FROM), and a
// stage beside the chain, where building could happen instead: one that
// RUNs something (a stage that only names an image, like
// `FROM ghcr.io/openfaas/of-watchdog AS watchdog`, is a source of files, not
// a place to build).
type shipped struct {
	target  int
	chain   []int
	builder int // an earlier stage not in the chain that RUNs something, the nearest the target uses if any; -1 when none
}

// shippedTargets returns the last stage and the configured targets that
// have a build stage beside them and configure a container to run (CMD,
// ENTRYPOINT, EXPOSE, HEALTHCHECK or USER in their chain): a target
// without one is more often a step of CI (`validate`, `lint`, an export)
// than an image. The passes of a run share the answer: do not change it.
func shippedTargets(p *Pass) []shipped {
	rc := p.run
	if rc == nil || p.want != nil {
		return readShipped(p)
	}
	if !rc.shippedRead {
		rc.shipped, rc.shippedRead = readShipped(p), true
	}
	return rc.shipped
}

// readShipped is shippedTargets, read anew.
func readShipped(p *Pass) []shipped {
	ix := p.Index
	var out []shipped
	for _, t := range ix.BuildTargets(p.Config.Targets) {
		if slices.ContainsFunc(out, func(s shipped) bool { return s.target == t }) {
			continue
		}
		chain := stageChain(p, t)
		inChain := make(map[int]bool, len(chain))
		for _, s := range chain {
			inChain[s] = true
		}
		// The builder is the nearest stage with a RUN that the target
		// copies or mounts from; else the nearest one outside its chain.
		b := -1
		used := ix.Model().Reachable([]int{t})
		for s := t - 1; s >= 0 && (b < 0 || !used[b]); s-- {
			if !inChain[s] && stageHas(p, s, "run") && (b < 0 || used[s]) {
				b = s
			}
		}
		if b >= 0 && runsContainer(p, chain) && !testOrDevTarget(p, chain) {
			out = append(out, shipped{target: t, chain: chain, builder: b})
		}
	}
	return out
}

// shippedNodes calls f with each instruction after FROM in the chains of
// targets, with the target and the stage it stands in. An instruction f
// reports on (returns true for) is not offered again for a later target.
func shippedNodes(p *Pass, targets []shipped, f func(t shipped, s int, n analysis.Node) bool) {
	seen := map[int]bool{}
	for _, t := range targets {
		for _, s := range t.chain {
			st := p.Index.Stage(s)
			for _, n := range p.nodesIn(st.First+1, st.End) {
				if !seen[n.Index] && f(t, s, n) {
					seen[n.Index] = true
				}
			}
		}
	}
}

// notShippedDoc tells, in the image-stage rules' pages, which targets
// testOrDevTarget leaves alone.
const notShippedDoc = `A target named for testing or development (` + "`test`" + `, ` + "`dev`" + `, ` + "`e2e`" + `, ` + "`lint`" + `,
` + "`debug`" + `) or whose command runs a test runner (` + "`npm test`" + `, ` + "`pytest`" + `, ` + "`go test`" + `)
is not an image that ships, and is left alone.`

// testOrDevTarget reports whether the target at the head of chain is a
// step of testing or development rather than an image that ships: its
// name says so (`test`, `dev-server`, `e2e`) or the command it runs, the
// chain's last CMD or ENTRYPOINT, is a test runner (`npm test`, `pytest`).
// Such a target needs its development dependencies and tools.
func testOrDevTarget(p *Pass, chain []int) bool {
	for _, part := range strings.FieldsFunc(strings.ToLower(p.Index.Stage(chain[0]).Name), func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		switch part {
		case "test", "tests", "testing", "unittest", "e2e", "integration", "dev", "devel", "develop", "development", "debug", "lint", "ci":
			return true
		}
	}
	for _, s := range chain {
		st := p.Index.Stage(s)
		for i := st.End - 1; i > st.First; i-- {
			if n := p.Index.Node(i); n.Cmd == "cmd" || n.Cmd == "entrypoint" {
				return runsTests(n)
			}
		}
	}
	return false
}

// runsTests reports whether a CMD or ENTRYPOINT runs a test runner.
func runsTests(n analysis.Node) bool {
	var words []string
	for _, a := range n.Args {
		words = append(words, strings.Fields(a.Value)...)
	}
	for i, w := range words {
		switch path.Base(w) {
		case "pytest", "jest", "vitest", "mocha", "rspec", "phpunit", "tox", "karma", "playwright":
			return true
		case "npm", "yarn", "pnpm", "bun", "go", "cargo", "mvn", "gradle", "dotnet", "make", "rake", "bundle", "gradlew":
			if i+1 < len(words) && (words[i+1] == "test" || words[i+1] == "run" && i+2 < len(words) && strings.HasPrefix(words[i+2], "test")) {
				return true
			}
		case "python", "python3":
			if i+2 < len(words) && words[i+1] == "-m" && (words[i+2] == "pytest" || words[i+2] == "unittest") {
				return true
			}
		}
	}
	return false
}

// runsContainer reports whether one of the stages configures how the
// image runs.
func runsContainer(p *Pass, stages []int) bool {
	ix := p.Index
	for _, s := range stages {
		st := ix.Stage(s)
		for _, n := range p.nodesIn(st.First+1, st.End) {
			switch n.Cmd {
			case "cmd", "entrypoint", "expose", "healthcheck", "user":
				return true
			}
		}
	}
	return false
}

// pkgOp is a package manager's install or removal in a RUN.
type pkgOp struct {
	manager string // apt, apk, rpm
	install bool
	pkgs    []string // names without versions; apk's --virtual group too
}

// packageOps reads the package installs and removals of a RUN's commands.
func packageOps(cmds []analysis.SimpleCommand) []pkgOp {
	var out []pkgOp
	for _, c := range cmds {
		if len(c.Words) < 2 {
			continue
		}
		var op pkgOp
		verb, rest := "", c.Words[1:]
		switch c.Words[0] {
		case "apt-get", "apt", "aptitude":
			op.manager = "apt"
		case "apk":
			op.manager = "apk"
		case "yum", "dnf", "microdnf", "tdnf", "zypper":
			op.manager = "rpm"
		default:
			continue
		}
		var words []string
		for k := 0; k < len(rest); k++ {
			w := rest[k]
			switch {
			case w == "-o" || w == "-t" || w == "--virtual" || w == "-X" || w == "--repository":
				if k+1 < len(rest) && op.manager == "apk" && (w == "-t" || w == "--virtual") {
					words = append(words, rest[k+1]) // the group, removed by name
				}
				k++
			case strings.HasPrefix(w, "-"):
			case verb == "":
				verb = w
			default:
				words = append(words, w)
			}
		}
		switch verb {
		case "install", "add":
			op.install = true
		case "remove", "purge", "del", "autoremove", "erase":
		default:
			continue
		}
		for _, w := range words {
			if strings.Contains(w, "$") || w == "" {
				continue
			}
			if i := strings.IndexAny(w, "=~<>"); i > 0 {
				w = w[:i]
			}
			op.pkgs = append(op.pkgs, w)
		}
		out = append(out, op)
	}
	return out
}

// installedKept returns the packages a RUN installs and does not remove
// again in the same RUN (apk's `--virtual .build-deps ... && apk del
// .build-deps` leaves nothing behind).
func installedKept(cmds []analysis.SimpleCommand) []string {
	ops := packageOps(cmds)
	removed := map[string]bool{}
	for _, op := range ops {
		if !op.install {
			for _, p := range op.pkgs {
				removed[p] = true
			}
		}
	}
	var out []string
	for _, op := range ops {
		if !op.install {
			continue
		}
		group := ""
		if op.manager == "apk" {
			group = virtualGroup(cmds, op)
		}
		if group != "" && removed[group] {
			continue
		}
		for _, p := range op.pkgs {
			if !removed[p] && p != group {
				out = append(out, p)
			}
		}
	}
	return out
}

// virtualGroup returns the `--virtual` (`-t`) group of an apk add, or "".
func virtualGroup(cmds []analysis.SimpleCommand, op pkgOp) string {
	for _, c := range cmds {
		if len(c.Words) < 2 || c.Words[0] != "apk" {
			continue
		}
		for k, w := range c.Words[:len(c.Words)-1] {
			if (w == "-t" || w == "--virtual") && slices.Contains(op.pkgs, c.Words[k+1]) {
				return c.Words[k+1]
			}
		}
	}
	return ""
}

// buildTools are packages that compile or fetch sources, which an image
// rarely needs at run time.
var buildTools = map[string]bool{
	"build-essential": true, "build-base": true, "alpine-sdk": true, "gcc": true, "g++": true,
	"gcc-c++": true, "clang": true, "llvm": true, "make": true, "cmake": true, "autoconf": true,
	"automake": true, "libtool": true, "pkg-config": true, "pkgconf": true, "pkgconfig": true,
	"git": true, "musl-dev": true, "linux-headers": true, "golang": true, "rustc": true,
	"cargo": true, "maven": true, "gradle": true, "ninja-build": true, "meson": true,
	"bison": true, "flex": true, "dpkg-dev": true,
}

// isBuildTool reports whether pkg is a compiler, build system, VCS or a
// development (headers) package.
func isBuildTool(pkg string) bool {
	return buildTools[pkg] || strings.HasSuffix(pkg, "-dev") || strings.HasSuffix(pkg, "-devel")
}
