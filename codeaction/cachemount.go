package codeaction

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// CacheMount is the kind of "Use a cache mount for <tool>".
const CacheMount Kind = "refactor.rewrite.cacheMount"

// cacheTool is a package manager whose download cache a RUN can keep in a
// BuildKit cache mount instead of the image.
type cacheTool struct {
	targets []string // the cache folders, for root
	// everyRun is set when later steps read the cache as the tool's store
	// (Go's module cache, Maven's repository): every RUN of the stage that
	// runs the tool gets the mount, or the later ones would download again.
	everyRun bool
	// skip names an option that turns the cache off, making a mount pointless.
	skip string
}

var cacheTools = map[string]cacheTool{
	"npm":    {targets: []string{"/root/.npm"}},
	"yarn":   {targets: []string{"/usr/local/share/.cache/yarn"}},
	"pnpm":   {targets: []string{"/root/.local/share/pnpm/store"}},
	"pip":    {targets: []string{"/root/.cache/pip"}, skip: "--no-cache-dir"},
	"uv":     {targets: []string{"/root/.cache/uv"}, skip: "--no-cache"},
	"go":     {targets: []string{"/go/pkg/mod", "/root/.cache/go-build"}, everyRun: true},
	"mvn":    {targets: []string{"/root/.m2"}, everyRun: true},
	"dotnet": {targets: []string{"/root/.nuget/packages"}, everyRun: true},
}

// cacheMount offers "Use a cache mount for <tool>" on a RUN that installs
// dependencies as root with a tool of cacheTools and has no cache mount.
func cacheMount(r *Request) ([]Action, string) {
	ix := r.Index
	n, ok := ix.NodeAt(r.Span.Start)
	if !ok || n.Cmd != "run" {
		return nil, "not on a RUN"
	}
	s := ix.StageOf(n.Index)
	if s < 0 {
		return nil, "not inside a stage"
	}
	if !runsAsRoot(ix, n.Index) {
		return nil, "the RUN does not run as root, whose cache folders the mount would target"
	}
	tools := analysis.InstallTools(ix, n.Index)
	var out []Action
	for _, tool := range tools {
		ct, ok := cacheTools[tool.Name]
		if !ok || ct.skip != "" && tool.Has(ct.skip) {
			continue
		}
		runs := []int{n.Index}
		if ct.everyRun {
			runs = nil
			st := ix.Stage(s)
			for i := st.First + 1; i < st.End; i++ {
				if slicesContainsTool(analysis.InstallTools(ix, i), tool.Name) || ix.Node(i).Cmd == "run" && runsTool(ix, i, tool.Name) {
					runs = append(runs, i)
				}
			}
			if copiesFrom(ix, s, ct.targets) {
				continue // a later stage copies the tool's store out of this one
			}
		}
		var edits []analysis.Edit
		for _, i := range runs {
			m := ix.Node(i)
			if hasCacheMount(m, ct.targets) || !runsAsRoot(ix, i) {
				continue
			}
			var flags []string
			for _, t := range ct.targets {
				flags = append(flags, "--mount=type=cache,target="+t)
			}
			at := m.Abs(m.Keyword.Span).End
			edits = append(edits, analysis.Edit{Span: analysis.Span{Start: at, End: at}, Text: " " + strings.Join(flags, " ")})
		}
		if len(edits) == 0 {
			continue
		}
		title := "Use a cache mount for " + tool.Name
		if ct.everyRun && len(edits) > 1 {
			title += fmt.Sprintf(" (on the stage's %d %s RUNs)", len(edits), tool.Name)
		}
		out = append(out, Action{Title: title, Kind: CacheMount, ID: "cacheMount:" + tool.Name + ":" + strconv.Itoa(n.Index), Edits: edits})
	}
	if len(out) == 0 {
		return nil, "no dependency install without a cache mount here"
	}
	return out, ""
}

func slicesContainsTool(tools []analysis.InstallTool, name string) bool {
	for _, t := range tools {
		if t.Name == name {
			return true
		}
	}
	return false
}

// runsTool reports whether RUN i runs the program tool in any command.
func runsTool(ix *analysis.Index, i int, tool string) bool {
	for _, w := range analysis.CommandNames(ix, i) {
		if w = strings.TrimPrefix(w, "./"); w == tool || w == tool+"w" {
			return true
		}
	}
	return false
}

// hasCacheMount reports whether RUN n mounts a cache on one of targets.
func hasCacheMount(n analysis.Node, targets []string) bool {
	for _, f := range n.Flags {
		if f.Name.Value != "mount" || !strings.Contains(f.Value.Value, "type=cache") {
			continue
		}
		for _, t := range targets {
			if strings.Contains(f.Value.Value, "target="+t) || strings.Contains(f.Value.Value, "dst="+t) || strings.Contains(f.Value.Value, "destination="+t) {
				return true
			}
		}
	}
	return false
}

// runsAsRoot reports whether instruction i runs as root: no USER before it
// in its stage, or USER root or 0. A stage built on another one is not
// known to.
func runsAsRoot(ix *analysis.Index, i int) bool {
	st := ix.Stage(ix.StageOf(i))
	if st.BaseStage >= 0 {
		return false
	}
	root := true
	for k := st.First + 1; k < i; k++ {
		if n := ix.Node(k); n.Cmd == "user" && len(n.Args) > 0 {
			u, _, _ := strings.Cut(n.Args[0].Value, ":")
			root = u == "root" || u == "0"
		}
	}
	return root
}

// copiesFrom reports whether another stage copies one of the folders out
// of stage s.
func copiesFrom(ix *analysis.Index, s int, folders []string) bool {
	for i := 0; i < ix.Len(); i++ {
		n := ix.Node(i)
		if n.Cmd != "copy" || n.Flag("from") == nil || len(n.Args) < 2 {
			continue
		}
		for _, r := range n.Refs {
			if r.Resolution != analysis.ResolvesStage || r.Target != s {
				continue
			}
			for _, a := range n.Args[:len(n.Args)-1] {
				for _, f := range folders {
					if strings.HasPrefix(a.Value, f) || strings.HasPrefix(f, strings.TrimSuffix(a.Value, "/")+"/") || a.Value == "/" {
						return true
					}
				}
			}
		}
	}
	return false
}
