package codeaction

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/features"
	"github.com/stagehand-ls/stagehand/analysis/refactor"
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
	// home, when set, is the environment variable that moves the cache:
	// set in the stage to a literal absolute folder, the targets are
	// that folder joined with each of homeSub; set otherwise, or in the
	// RUN, the mount is not offered.
	home    string
	homeSub []string
	// images gives the targets on an official image that moves the cache
	// (none: the image's cache folder is not known, not offered).
	images map[string][]string
	// flags are added to each mount (sharing=locked for apt's lock files).
	flags string
}

var cacheTools = map[string]cacheTool{
	"npm":    {targets: []string{"/root/.npm"}},
	"yarn":   {targets: []string{"/usr/local/share/.cache/yarn"}},
	"pnpm":   {targets: []string{"/root/.local/share/pnpm/store"}},
	"bun":    {targets: []string{"/root/.bun/install/cache"}, home: "BUN_INSTALL_CACHE_DIR"}, // BUN_INSTALL_CACHE_DIR moves it
	"pip":    {targets: []string{"/root/.cache/pip"}, skip: "--no-cache-dir"},
	"uv":     {targets: []string{"/root/.cache/uv"}, skip: "--no-cache"},
	"go":     {targets: []string{"/go/pkg/mod", "/root/.cache/go-build"}, everyRun: true},
	"mvn":    {targets: []string{"/root/.m2"}, everyRun: true},
	"dotnet": {targets: []string{"/root/.nuget/packages"}, everyRun: true},
	// Gradle's dependency cache; the wrapper and daemon folders stay in
	// the image. The gradle image's user home differs between its tags.
	"gradle": {targets: []string{"/root/.gradle/caches"}, everyRun: true, home: "GRADLE_USER_HOME", homeSub: []string{"/caches"},
		images: map[string][]string{"gradle": nil}},
	// Poetry's downloads only: its virtualenvs live in the same cache
	// folder and must stay in the image.
	"poetry": {targets: []string{"/root/.cache/pypoetry/cache", "/root/.cache/pypoetry/artifacts"}, skip: "--no-cache",
		home: "POETRY_CACHE_DIR", homeSub: []string{"/cache", "/artifacts"}},
	// The gems' downloaded archives, beside the installed gems in
	// GEM_HOME (the ruby image's /usr/local/bundle); elsewhere not known.
	"bundle": {home: "GEM_HOME", homeSub: []string{"/cache"}, images: map[string][]string{"ruby": {"/usr/local/bundle/cache"}}},
	// Cargo's registry and git checkouts under CARGO_HOME (the rust
	// image's /usr/local/cargo), which later builds read as their store;
	// its bin folder (cargo install's binaries) stays in the image.
	// Elsewhere (rustup's ~/.cargo, images built on rust) not known.
	"cargo": {everyRun: true, home: "CARGO_HOME", homeSub: []string{"/registry", "/git"},
		images: map[string][]string{"rust": {"/usr/local/cargo/registry", "/usr/local/cargo/git"}}},
	// COMPOSER_HOME is /tmp in the composer image; elsewhere the cache is
	// ~/.composer/cache, or ~/.cache/composer where Composer follows XDG.
	"composer": {targets: []string{"/root/.composer/cache", "/root/.cache/composer"}, skip: "--no-cache", home: "COMPOSER_CACHE_DIR",
		images: map[string][]string{"composer": {"/tmp/cache"}}},
}

// systemCacheTools are the system package managers: their package
// indexes and downloads, which the same RUN must fetch (apt-get update,
// apk --update), since the mount hides what the image holds there.
var systemCacheTools = map[string]cacheTool{
	"apt": {targets: analysis.AptCacheTargets, flags: ",sharing=locked"},
	"apk": {targets: []string{"/var/cache/apk"}, skip: "--no-cache"},
}

// cacheMount offers "Use a cache mount for <tool>" on a RUN that installs
// dependencies as root with a tool of cacheTools and has no cache mount.
func cacheMount(ctx context.Context, r *Request) ([]Action, string) {
	ix := r.Index
	n, ok := ix.NodeAt(r.Span.Start)
	if !ok || n.Cmd != "run" {
		return nil, "not on a RUN"
	}
	s := ix.StageOf(n.Index)
	if s < 0 {
		return nil, "not inside a stage"
	}
	if mount := analysis.LookupFeature("run", "mount"); !ix.Frontend().Has(mount) {
		return nil, "the file pins a Dockerfile frontend without RUN --mount, which needs " + mount.Needs()
	}
	if sc := ix.Model().ScratchStage(); sc >= 0 {
		// dockerfile2llb gives a cache mount without from= the stage named
		// scratch as its base: the cache would start with that stage's
		// files, and the RUN's stage would depend on it.
		return nil, fmt.Sprintf("a stage is named scratch (line %d): a cache mount without from= would start from its files, since BuildKit looks scratch up as a stage", ix.Doc.LineOf(ix.Stage(sc).Span.Start)+1)
	}
	if b := ix.Stage(s).BaseStage; b >= 0 {
		// runsAsRoot does not follow the user through the stages: the
		// mount comes from the base stage's RUNs (stageAndDerived).
		return nil, fmt.Sprintf("the stage is built on stage %d of this file: offered on that stage's RUNs (for Go, Maven, .NET and Gradle, with the RUNs of the stages built on it)", b)
	}
	if !runsAsRoot(ix, n.Index) {
		return nil, "the RUN does not run as root, whose cache folders the mount would target"
	}
	tools := analysis.InstallTools(ix, n.Index)
	if sys, ok := systemInstall(ix, n.Index); ok {
		tools = append(tools, sys)
	}
	var out []Action
	berry := ""     // why the stage's yarn is Yarn 2 or later
	unreadWhy := "" // why a tool's mounts would miss a RUN
	for _, tool := range tools {
		if tool.Name == "yarn" {
			// Yarn 2+ keeps its cache in the project (.yarn/cache) or, with
			// Yarn 4's global cache, in ~/.yarn/berry: not Yarn 1's folder.
			if berry = refactor.YarnBerry(ix, s, ix.Model().State(n.Index).Workdir, r.Context); berry != "" {
				continue
			}
		}
		ct, ok := cacheTools[tool.Name]
		if sys, isSys := systemCacheTools[tool.Name]; isSys {
			ct, ok = sys, true
		}
		if !ok || ct.skip != "" && tool.Has(ct.skip) {
			continue
		}
		if !ct.everyRun && offlineRun(ix, s, tool.Name) {
			// A later RUN installs offline from the cache an earlier one
			// filled (pnpm fetch, then pnpm install --offline): a mount on
			// one RUN alone would take the cache out of the other's reach.
			ct.everyRun = true
		}
		targets, ok := cacheTargets(ix, s, n.Index, ct, tool)
		if !ok {
			continue
		}
		ct.targets = targets
		runs := []int{n.Index}
		derived := false // runs holds RUNs of stages built on s
		if ct.everyRun {
			// The stages built FROM s inherit its image, where the store
			// stays empty under a mount: their RUNs of the tool get it too.
			if ancestorRuns(ix, s, tool.Name) {
				continue // the store is in the base stage's image, which a mount here would hide: offered there
			}
			runs = nil
			copied := false
			unread := -1 // a RUN that may run the tool in a script not read
			for _, d := range stageAndDerived(ix, s) {
				st := ix.Stage(d)
				for i := st.First + 1; i < st.End; i++ {
					if ctx.Err() != nil {
						return nil, "cancelled"
					}
					if _, ok := analysis.RunCommands(ix, i); !ok && ix.Node(i).Cmd == "run" && unread < 0 && mentionsWord(ix.Doc.Slice(ix.Node(i).Span()), tool.Name) {
						unread = i
					}
					if slicesContainsTool(analysis.InstallTools(ix, i), tool.Name) || ix.Node(i).Cmd == "run" && runsTool(ix, i, tool.Name) {
						runs = append(runs, i)
						derived = derived || d != s
					}
				}
				copied = copied || copiesFrom(ix, d, ct.targets)
			}
			if copied {
				continue // a later stage copies the tool's store out of this one
			}
			if unread >= 0 {
				// It may fill or read the store: a mount on the other RUNs
				// would hide what it put in the image, or leave it without.
				unreadWhy = fmt.Sprintf("the RUN at line %d may run %s in a script the planner cannot read: a mount on the other RUNs would hide the store it reads or fills", ix.Doc.LineOf(ix.Node(unread).Start)+1, tool.Name)
				continue
			}
		}
		var edits []analysis.Edit
		for _, i := range runs {
			if ctx.Err() != nil {
				return nil, "cancelled" // each root check walks the stage
			}
			m := ix.Node(i)
			if !runsAsRoot(ix, i) && !derivedRoot(ix, s, i) {
				continue
			}
			// Each target the RUN does not mount yet: a go build with a
			// build cache alone still reads the module cache, which the
			// mount takes out of the image.
			var flags []string
			for _, t := range ct.targets {
				if !hasCacheMount(m, []string{t}) {
					flags = append(flags, "--mount=type=cache,target="+t+ct.flags)
				}
			}
			if len(flags) == 0 {
				continue
			}
			at := m.Abs(m.Keyword.Span).End
			edits = append(edits, analysis.Edit{Span: analysis.Span{Start: at, End: at}, Text: " " + strings.Join(flags, " ")})
		}
		if len(edits) == 0 {
			continue
		}
		title := "Use a cache mount for " + tool.Name
		switch {
		case derived && len(edits) > 1:
			title += fmt.Sprintf(" (on the %d %s RUNs of this stage and the stages built on it)", len(edits), tool.Name)
		case derived:
			// This RUN has its mounts: the one edit is in a stage built on
			// this one, which the title names.
			title += fmt.Sprintf(" (on the %s RUN at line %d, in a stage built on this one)", tool.Name, ix.Doc.LineOf(edits[0].Span.Start)+1)
		case ct.everyRun && len(edits) > 1:
			title += fmt.Sprintf(" (on the stage's %d %s RUNs)", len(edits), tool.Name)
		}
		if index, ok := systemIndex[tool.Name]; ok && !strings.Contains(ix.Doc.Slice(n.Span()), "rm -rf "+index) {
			// What the RUN fetches there stays in the mount, not the image.
			title += " (the package index stays out of the image)"
		}
		out = append(out, Action{Title: title, Kind: CacheMount, ID: "cacheMount:" + tool.Name + ":" + strconv.Itoa(n.Index), Edits: edits})
	}
	if len(out) == 0 && unreadWhy != "" {
		return nil, unreadWhy
	}
	if len(out) == 0 && berry != "" {
		return nil, "the stage uses Yarn 2 or later (" + berry + "), whose cache is the project's .yarn/cache or ~/.yarn/berry/cache as its settings say, not the Yarn 1 folder the mount would target"
	}
	if len(out) == 0 {
		return nil, "no dependency install without a cache mount here"
	}
	return out, ""
}

// stageAndDerived returns stage s and the later stages built FROM it,
// directly or through another.
func stageAndDerived(ix *analysis.Index, s int) []int {
	out := []int{s}
	for t := s + 1; t < ix.StageCount(); t++ {
		if slices.Contains(out, ix.Stage(t).BaseStage) {
			out = append(out, t)
		}
	}
	return out
}

// derivedRoot reports whether RUN i, in a stage built on stage s, runs as
// root: s ends as root and no USER comes between.
func derivedRoot(ix *analysis.Index, s, i int) bool {
	d := ix.StageOf(i)
	if d == s || !runsAsRoot(ix, ix.Stage(s).End-1) {
		return false
	}
	for t := d; t != s && t >= 0; t = ix.Stage(t).BaseStage {
		st := ix.Stage(t)
		for j := st.First + 1; j < i && j < st.End; j++ {
			if ix.Node(j).Cmd == "user" {
				return false
			}
		}
	}
	return true
}

// ancestorRuns reports whether a stage that s is built FROM runs tool.
func ancestorRuns(ix *analysis.Index, s int, tool string) bool {
	for b, hops := ix.Stage(s).BaseStage, 0; b >= 0 && hops <= ix.StageCount(); b, hops = ix.Stage(b).BaseStage, hops+1 {
		st := ix.Stage(b)
		for i := st.First + 1; i < st.End; i++ {
			if slicesContainsTool(analysis.InstallTools(ix, i), tool) || ix.Node(i).Cmd == "run" && runsTool(ix, i, tool) {
				return true
			}
		}
	}
	return false
}

// cacheTargets returns the cache folders of tool for RUN i of stage s:
// the stage's literal setting of the tool's home variable, else the
// official image's, else the default; ok is false where it is not known.
func cacheTargets(ix *analysis.Index, s, i int, ct cacheTool, tool analysis.InstallTool) ([]string, bool) {
	if ct.home != "" {
		for _, w := range tool.Words {
			if strings.HasPrefix(w, ct.home+"=") {
				return nil, false
			}
		}
		if v, set := stageEnv(ix, i, ct.home); set {
			if !strings.HasPrefix(v, "/") || strings.ContainsAny(v, "$ ") {
				return nil, false
			}
			v = strings.TrimSuffix(v, "/")
			if len(ct.homeSub) == 0 {
				return []string{v}, true
			}
			var out []string
			for _, sub := range ct.homeSub {
				out = append(out, v+sub)
			}
			return out, true
		}
	}
	if page, ok := features.ImagePage(ix.Stage(s).Base); ok && strings.HasPrefix(page, "https://hub.docker.com/_/") {
		if t, ok := ct.images[strings.TrimPrefix(page, "https://hub.docker.com/_/")]; ok {
			return t, len(t) > 0
		}
	}
	return ct.targets, len(ct.targets) > 0
}

// stageEnv returns the value variable name has before instruction i, as
// the build model's walk gives it (ARG and ENV of the stage and of those it
// is built FROM); set is false when nothing declares it, and the value is
// `$name` (unknown) when a declaration gives it none.
func stageEnv(ix *analysis.Index, i int, name string) (value string, set bool) {
	st := ix.Model().State(i)
	if _, declared := st.Site(name); !declared {
		return "", false
	}
	if v, ok := st.Var(name); ok {
		return v, true
	}
	return "$" + name, true
}

// systemIndex is where each system package manager keeps the package
// index the RUN fetches; a RUN that removes it leaves the image the same.
var systemIndex = map[string]string{"apt": analysis.AptCacheTargets[1], "apk": "/var/cache/apk"}

// systemInstall recognises apt-get/apt or apk installing packages in RUN
// i after fetching the package index in the same RUN, with no later RUN
// of the stage installing without fetching it again (the index the mount
// holds is not in the image).
func systemInstall(ix *analysis.Index, i int) (analysis.InstallTool, bool) {
	tool, words, fetched, installs := systemRun(ix, i)
	if !installs || !fetched {
		return analysis.InstallTool{}, false
	}
	st := ix.Stage(ix.StageOf(i))
	for k := i + 1; k < st.End; k++ {
		if t, _, f, in := systemRun(ix, k); t == tool && in && !f {
			return analysis.InstallTool{}, false
		}
	}
	for _, other := range ix.Stages().All() {
		if other.BaseStage == st.Index {
			return analysis.InstallTool{}, false // a stage built on it may install without fetching
		}
	}
	return analysis.InstallTool{Name: tool, Words: words}, true
}

// systemRun reads RUN i's apt or apk commands: the tool, the install
// command's words, whether the RUN fetches the index, and installs.
func systemRun(ix *analysis.Index, i int) (tool string, words []string, fetched, installs bool) {
	cmds, ok := analysis.RunCommands(ix, i)
	if !ok {
		return "", nil, false, false
	}
	for _, c := range cmds {
		if len(c.Words) < 2 {
			continue
		}
		switch c.Words[0] {
		case "apt-get", "apt":
			tool = "apt"
			if slices.Contains(c.Words[1:], "update") {
				fetched = true
			}
			if slices.Contains(c.Words[1:], "install") {
				installs, words = true, c.Words
			}
		case "apk":
			tool = "apk"
			if slices.Contains(c.Words[1:], "update") || slices.Contains(c.Words[1:], "add") && (slices.Contains(c.Words, "--update") || slices.Contains(c.Words, "-U") || slices.Contains(c.Words, "--update-cache")) {
				fetched = true
			}
			if slices.Contains(c.Words[1:], "add") {
				installs, words = true, c.Words
			}
		}
	}
	return tool, words, fetched, installs
}

func slicesContainsTool(tools []analysis.InstallTool, name string) bool {
	for _, t := range tools {
		if t.Name == name {
			return true
		}
	}
	return false
}

// offlineRun reports whether a RUN of stage s, or of a stage built on it,
// runs tool offline (--offline; mvn -o), reading the download cache an
// earlier RUN left in the image.
func offlineRun(ix *analysis.Index, s int, tool string) bool {
	for _, d := range stageAndDerived(ix, s) {
		st := ix.Stage(d)
		for i := st.First + 1; i < st.End; i++ {
			if ix.Node(i).Cmd != "run" {
				continue
			}
			cmds, _ := analysis.RunCommands(ix, i)
			for _, c := range cmds {
				if len(c.Words) > 0 && strings.TrimPrefix(c.Words[0], "./") == tool && (slices.Contains(c.Words, "--offline") || tool == "mvn" && slices.Contains(c.Words, "-o")) {
					return true
				}
			}
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

// hasCacheMount reports whether RUN n mounts a cache on one of targets or
// inside one.
func hasCacheMount(n analysis.Node, targets []string) bool {
	for _, target := range analysis.CacheTargets(n) {
		// A cache on a target or a folder in it counts.
		covers := func(t string) bool {
			t = strings.TrimSuffix(t, "/")
			return target == t || strings.HasPrefix(target, t+"/")
		}
		if slices.ContainsFunc(targets, covers) {
			return true
		}
	}
	return false
}

// runsAsRoot reports whether instruction i runs as root: no USER before it
// in its stage, or USER root or 0. A stage built on another one is not
// known to.
func runsAsRoot(ix *analysis.Index, i int) bool {
	if ix.Stage(ix.StageOf(i)).BaseStage >= 0 {
		return false
	}
	u, _, _ := strings.Cut(ix.Model().State(i).User, ":")
	return u == "" || u == "root" || u == "0"
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

// mentionsWord reports whether text has word as a word of its own
// or its wrapper (word+"w", as runsTool counts ./mvnw for mvn), alone or
// at the end of a path.
func mentionsWord(text, word string) bool {
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(" \t\r\n;&|()'\"`$={}<>\\", r) }) {
		f = f[strings.LastIndexByte(f, '/')+1:]
		if f == word || f == word+"w" {
			return true
		}
	}
	return false
}
