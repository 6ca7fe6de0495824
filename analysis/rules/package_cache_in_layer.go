package rules

import (
	"slices"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var PackageCacheInLayer = register(&Rule{
	Name:     "PackageCacheInLayer",
	Summary:  "A package manager's cache is left in an image layer: `apt-get update` without removing its lists, `pip install` without `--no-cache-dir`.",
	Severity: Information,
	Doc: `` + "`apt-get update`" + ` downloads package lists into ` + "`/var/lib/apt/lists`" + ` (tens of
megabytes) and ` + "`pip install`" + ` keeps downloaded wheels in ` + "`~/.cache/pip`" + `. Left in
the ` + "`RUN`" + `'s layer, they ship with the image and are never used again. A later
` + "`RUN rm`" + ` does not help: the layer that wrote them keeps them.

The rule looks at the image stages (the last stage, the stages named in
` + "`stagehand.targets`" + ` and the stages they are built ` + "`FROM`" + `, when the image says how
it runs with ` + "`CMD`" + `, ` + "`ENTRYPOINT`" + `, ` + "`EXPOSE`" + `, ` + "`HEALTHCHECK`" + ` or ` + "`USER`" + `; caches in build
stages do not ship) and reports a ` + "`RUN`" + ` that runs ` + "`apt-get update`" + ` without removing
` + "`/var/lib/apt/lists`" + ` (or running ` + "`apt-get dist-clean`" + `) in the same ` + "`RUN`" + `, or ` + "`pip install`" + ` without ` + "`--no-cache-dir`" + `
(or ` + "`PIP_NO_CACHE_DIR`" + ` set), unless a cache mount covers the directory.

The fix moves the cache out of the layer with a cache mount
(` + "`RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked`" + `,
` + "`--mount=type=cache,target=/root/.cache/pip`" + `), which also keeps it between builds;
for pip, adding ` + "`--no-cache-dir`" + ` is offered too. Cache mounts need
docker/dockerfile 1.2 or later: with an older pinned frontend only the pip
flag is offered.`,
	Bad: `FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
`,
	Good: `FROM python:3.12-slim
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y --no-install-recommends libpq5
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
CMD ["python", "app.py"]
`,
	Run: runPackageCacheInLayer,
})

const pipCache = "/root/.cache/pip"

// aptLists is where apt-get update leaves the package lists.
var aptLists = analysis.AptCacheTargets[1]

// aptMounts is what the quick fix adds after RUN: the same mounts the
// cache-mount action writes.
var aptMounts = func() string {
	var b strings.Builder
	for _, t := range analysis.AptCacheTargets {
		b.WriteString(" --mount=type=cache,target=" + t + ",sharing=locked")
	}
	return b.String()
}()

// cacheMounted reports whether a `--mount=type=cache` of n covers dir.
func cacheMounted(n analysis.Node, dir string) bool {
	return slices.ContainsFunc(analysis.CacheTargets(n), func(target string) bool {
		return dir == target || strings.HasPrefix(dir, target+"/")
	})
}

func runPackageCacheInLayer(p *Pass) {
	ix := p.Index
	mounts := ix.Frontend().Has(analysis.LookupFeature("run", "mount"))
	seen := map[int]bool{}
	for _, t := range ix.BuildTargets(p.Config.Targets) {
		chain := stageChain(p, t)
		if !runsContainer(p, chain) {
			continue // a CI step rather than an image
		}
		windows := ix.Escape == '`' || strings.Contains(strings.ToLower(ix.Stage(chain[len(chain)-1]).Base), "windows")
		for _, s := range chain {
			st := ix.Stage(s)
			user := false
			for _, n := range p.nodesIn(st.First+1, st.End) {
				if n.Cmd == "user" {
					user = true
				}
				if n.Cmd != "run" || seen[n.Index] {
					continue
				}
				seen[n.Index] = true
				checkPackageCache(p, n, mounts && !windows, !user)
			}
		}
	}
}

func checkPackageCache(p *Pass, n analysis.Node, mounts, root bool) {
	ix := p.Index
	cmds := ix.ShellCommands(n)
	update, removed, pip, pipFlagged := false, false, -1, false
	for k, c := range cmds {
		switch c.Words[0] {
		case "apt-get", "apt":
			update = update || c.Has("update")
			removed = removed || c.Has("dist-clean") // apt 2.7 removes the lists
		case "rm":
			for _, arg := range c.Words[1:] {
				for _, a := range braces(arg) {
					removed = removed || covers(a, aptLists)
					pipFlagged = pipFlagged || covers(a, pipCache)
				}
			}
		case "pip", "pip3", "python", "python3":
			args := c.Words[1:]
			if c.Words[0] != "pip" && c.Words[0] != "pip3" {
				if len(args) < 2 || args[0] != "-m" || !strings.HasPrefix(args[1], "pip") {
					continue
				}
				args = args[2:]
			}
			if len(args) > 0 && args[0] == "install" && pip < 0 && !c.Has("--no-cache-dir") {
				if _, env := c.Assign("PIP_NO_CACHE_DIR"); !env {
					pip = k
				}
			}
		}
	}
	kw := n.Abs(n.Keyword.Span).End
	if update && !removed && !cacheMounted(n, aptLists) {
		var fixes []Fix
		if mounts {
			fixes = fix("Keep apt's cache and lists in cache mounts", true, replace(analysis.Span{Start: kw, End: kw}, aptMounts))
		}
		p.Reportf(firstLine(p, n), fixes, "apt-get update leaves its package lists in this layer: remove %s in the same RUN, or keep them in a cache mount", aptLists)
	}
	if pip >= 0 && !pipFlagged && !cacheMounted(n, pipCache) && !pipCacheOff(ix, n) {
		var fixes []Fix
		if mounts && root {
			fixes = append(fixes, fix("Keep pip's cache in a cache mount", true, replace(analysis.Span{Start: kw, End: kw}, " --mount=type=cache,target="+pipCache))...)
		}
		raw := p.Text(n.Span())
		for _, form := range []string{"pip install", "pip3 install"} {
			if at := strings.Index(raw, form); at >= 0 && strings.Count(raw, form) == 1 {
				end := n.Start + at + len(form)
				fixes = append(fixes, Fix{Title: "Add --no-cache-dir", Edits: []analysis.Edit{replace(analysis.Span{Start: end, End: end}, " --no-cache-dir")}, Preferred: len(fixes) == 0})
				break
			}
		}
		p.Reportf(firstLine(p, n), fixes, "pip install keeps its download cache in this layer: add --no-cache-dir, or keep the cache in a cache mount")
	}
}

// covers reports whether removing path a (a glob at most as its last
// element) removes dir: a is dir, a parent of it, or dir's content.
func covers(a, dir string) bool {
	a = strings.TrimSuffix(strings.TrimSuffix(a, "*"), "/")
	return a != "" && (a == dir || strings.HasPrefix(dir, a+"/") || strings.HasPrefix(a, dir+"/"))
}

// braces expands one `{a,b}` group of a word, as the shell does.
func braces(w string) []string {
	i := strings.IndexByte(w, '{')
	j := strings.IndexByte(w, '}')
	if i < 0 || j < i {
		return []string{w}
	}
	var out []string
	for _, alt := range strings.Split(w[i+1:j], ",") {
		out = append(out, w[:i]+alt+w[j+1:])
	}
	return out
}

// pipCacheOff reports whether PIP_NO_CACHE_DIR is set for instruction n.
func pipCacheOff(ix *analysis.Index, n analysis.Node) bool {
	for _, v := range ix.VisibleVars(n.Index) {
		if v.Decl.Name.Value == "PIP_NO_CACHE_DIR" {
			return true
		}
	}
	return false
}
