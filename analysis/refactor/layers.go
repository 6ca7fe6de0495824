package refactor

import (
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// LayerPlan is a reordering of one stage for the build cache: the
// dependency manifests copied and the dependencies installed before the
// source is copied, and the instructions that cannot depend on the source
// moved above its copy.
type LayerPlan struct {
	Stage      int
	SourceCopy int   // the instruction that copies the source
	Installs   []int // dependency installs moved after the manifests
	Moved      []int // source-independent instructions moved above
	// ManifestCopies are the COPY instructions added before the installs,
	// none when the stage copies the manifests already; Added are the
	// dependency steps added after them (uv sync --no-install-project
	// before a uv sync that installs the project too).
	ManifestCopies []string
	Added          []string
	Split          []int // the installs that Added prepares, left in place
	// Workspace names the kind of workspace the manifests come from, ""
	// for a single package.
	Workspace string
	Edit      analysis.Edit
}

// maxPlanStage bounds the instructions of a stage the planner considers.
const maxPlanStage = 400

// PlanLayers plans the reordering of stage s, or returns nil and why not.
// It never moves an instruction across one it does not commute with: a RUN
// keeps the WORKDIR, USER, SHELL, ARG and ENV it had and its order among
// other RUNs, and no instruction moves across one that declares or uses a
// variable it uses or declares. A plan moves at least one RUN: moving only
// metadata saves nothing worth an edit.
//
// A dependency install moves only when the build context (ctx) shows what
// it reads: every manifest, lockfile and workspace member manifest is
// copied first, with its folder layout kept. Without a context, only
// installs of system packages move. A stage that already installs a
// tool's dependencies before the source (pnpm fetch, cargo chef cook, go
// mod download, uv sync --no-install-project) is already right for it.
func PlanLayers(ix *analysis.Index, s int, ctx analysis.BuildContext) (*LayerPlan, string) {
	if s < 0 || s >= ix.StageCount() {
		return nil, "no stage"
	}
	st := ix.Stage(s)
	if st.End-st.First > maxPlanStage {
		return nil, "the stage is too long to plan"
	}
	c := -1
	for i := st.First + 1; i < st.End; i++ {
		if isSourceCopy(ix.Node(i)) {
			c = i
			break
		}
	}
	if c < 0 {
		return nil, "the stage copies no source"
	}
	src := ix.Node(c)
	// The source copied: one folder of the context (or all of it) to dest.
	srcDir, destAbs := "", ""
	if srcs := src.Args[:len(src.Args)-1]; len(srcs) == 1 {
		if p, ok := analysis.ContextPath(srcs[0].Value); ok && !strings.ContainsAny(p, "*?[") && (p == "" || !isManifest(p)) {
			srcDir = p
			destAbs = analysis.AbsDest(ix, c, src.Args[len(src.Args)-1].Value)
			if srcDir != "" && !strings.HasSuffix(srcs[0].Value, "/") && !isDir(ctx, srcDir) {
				destAbs = ""
			}
		}
	}
	if srcDir == "" && (len(src.Args) != 2 || !isRootSource(src.Args[0].Value)) {
		destAbs = ""
	}

	// Tools whose dependencies the stage installs before the source.
	fetched, fetchedAnywhere := map[string]bool{}, map[string]bool{}
	for i := st.First + 1; i < c; i++ {
		if n := ix.Node(i); n.Cmd == "run" {
			ins := analysis.Installs(ix, i)
			cmds, _ := analysis.RunCommands(ix, i)
			for _, in := range ins {
				if in.Fetch {
					fetched[in.Tool] = true
				}
			}
			for _, cmd := range cmds {
				if len(cmd.Words) > 2 && cmd.Words[0] == "cargo" && cmd.Words[1] == "chef" {
					fetched["cargo"] = true
				}
			}
		}
	}

	// Tools the stage fetches dependencies for anywhere: a build of one of
	// them needs no added dependency step.
	for k := st.First + 1; k < st.End; k++ {
		if ix.Node(k).Cmd == "run" {
			for _, in := range analysis.Installs(ix, k) {
				if in.Fetch {
					fetchedAnywhere[in.Tool] = true
				}
			}
		}
	}
	kinds := map[int]layerKind{}
	inputs := map[int][]string{}
	split := map[int]string{} // a build's dependency step to add
	var candidates []int
	workspace := ""
	why := "" // why the first install after the source copy cannot move
	line := func(k int) string { return strconv.Itoa(ix.Doc.LineOf(ix.Node(k).Start) + 1) }
	for k := c + 1; k < st.End; k++ {
		n := ix.Node(k)
		kind := classifyLayer(ix, k)
		if kind == layerInstall || kind == layerSplit {
			files, ws, ok := []string(nil), "", false
			ins := analysis.Installs(ix, k)
			wd := ix.Model().State(k).Workdir
			for _, in := range ins {
				if fetched[in.Tool] || kind == layerSplit && fetchedAnywhere[in.Tool] {
					ok = false
					break
				}
				var f []string
				if destAbs == "" || wd != destAbs {
					if why == "" && destAbs == "" {
						why = "the source copy at line " + line(c) + " does not copy one folder of the build context to a known place"
					} else if why == "" {
						why = "the install at line " + line(k) + " runs in " + wd + ", not in " + destAbs + " where the source is copied"
					}
					break
				}
				f, ws, ok = ctx.Manifests(in, srcDir)
				if !ok {
					if why == "" {
						why = "the install at line " + line(k) + " reads more of the source than its manifests (local packages, install scripts), or the build context lacks them"
					}
					break
				}
				files = append(files, f...)
				if ws != "" {
					workspace = ws
				}
				if kind == layerSplit {
					split[k] = splitStep(ix, k, ws, ctx, srcDir)
					ok = split[k] != ""
				}
			}
			if !ok {
				kind = layerFixed
			} else {
				inputs[k] = files
			}
		}
		if kind == layerFixed && why == "" && n.Cmd == "run" && len(analysis.Installs(ix, k)) > 0 {
			why = "the install at line " + line(k) + " " + fixedWhy(ix, k)
		}
		if n.Cmd == "workdir" && kind == layerAlone && destAbs == "" {
			kind = layerFixed
		}
		if kind != layerFixed {
			kinds[k] = kind
			candidates = append(candidates, k)
		}
	}
	chosen := map[int]bool{}
	for _, k := range candidates {
		if kinds[k] == layerSplit {
			continue // stays after the source; its dependency step is added
		}
		chosen[k] = true
		if !orderSafe(ix, c, st.End, chosen, kinds) {
			delete(chosen, k)
		}
	}
	plan := &LayerPlan{Stage: s, SourceCopy: c, Workspace: workspace}
	var manifests []string
	runs := 0
	for _, k := range candidates {
		switch {
		case kinds[k] == layerSplit && orderSafeSplit(ix, c, k, chosen):
			plan.Added = append(plan.Added, split[k])
			plan.Split = append(plan.Split, k)
			manifests = append(manifests, inputs[k]...)
			runs++
			continue
		case !chosen[k]:
			continue
		case kinds[k] == layerInstall:
			plan.Installs = append(plan.Installs, k)
			manifests = append(manifests, inputs[k]...)
		default:
			plan.Moved = append(plan.Moved, k)
		}
		if ix.Node(k).Cmd == "run" {
			runs++
		}
	}
	if runs == 0 {
		if len(fetched) > 0 {
			return nil, "the stage installs its dependencies before copying the source already"
		}
		if why != "" {
			return nil, why
		}
		if why := unreadInstall(ix, c, st.End); why != "" {
			return nil, why
		}
		return nil, "no RUN after the source copy can move above it"
	}
	// An install's output folder that the source copy brings from the
	// context (a node_modules the .dockerignore lets through) was replaced
	// or updated by the install (npm ci deletes it); copied after it, it
	// would overwrite what it installed.
	if why := clobbered(ix, plan, inputs, src, srcDir, ctx); why != "" {
		return nil, why
	}
	// A manifest the source copy leaves out (--exclude) was not there for
	// the install: copying it first would change what the install reads.
	if ex := analysis.CopyExcludes(src); len(ex) > 0 {
		for _, m := range manifests {
			rel := strings.TrimSuffix(m, "/")
			if srcDir != "" {
				rel = strings.TrimPrefix(rel, strings.TrimSuffix(srcDir, "/")+"/")
			}
			if analysis.Excluded(ex, rel) {
				return nil, "the source copy excludes " + m + ", which the install would read if copied first"
			}
		}
	}
	manifests = notCopied(ix, st, c, manifests, srcDir, destAbs)
	if len(manifests) == 0 && (len(plan.Installs) > 0 || len(plan.Added) > 0) && !copiedBefore(ix, st, c) {
		return nil, "no manifest found in the build context"
	}
	plan.Workspace = workspace
	if len(plan.Installs) == 0 && len(plan.Added) == 0 {
		plan.Workspace = ""
	}

	doc := ix.Doc
	nl := eol(doc)
	if len(manifests) > 0 {
		plan.ManifestCopies = manifestCopies(ix, src, srcDir, src.Args[len(src.Args)-1].Value, manifests)
	}

	last := c
	for k := range chosen {
		last = max(last, k)
	}
	region := analysis.Span{Start: layerChunk(ix, c).Start, End: layerChunk(ix, last).End}
	// Blank lines separate groups: the region keeps the ones before the
	// source copy at its start, moved instructions drop theirs, and a
	// blank line stays before the source copy when there was one.
	var b strings.Builder
	chunkOf := func(i int) string {
		t := doc.Slice(layerChunk(ix, i))
		if !strings.HasSuffix(t, "\n") && !strings.HasSuffix(t, "\r") {
			t += nl
		}
		return t
	}
	lead, cRest := leadingBlank(chunkOf(c))
	b.WriteString(lead)
	blank := lead != ""
	moved := func(group []int) {
		for _, k := range group {
			l, rest := leadingBlank(chunkOf(k))
			blank = blank || l != ""
			b.WriteString(rest)
		}
	}
	moved(plan.Moved)
	for _, m := range plan.ManifestCopies {
		b.WriteString(m + nl)
	}
	moved(plan.Installs)
	for _, a := range plan.Added {
		b.WriteString(a + nl)
	}
	if blank {
		b.WriteString(nl)
	}
	b.WriteString(cRest)
	for i := c + 1; i <= last; i++ {
		if !chosen[i] {
			b.WriteString(chunkOf(i))
		}
	}
	out := b.String()
	if orig := doc.Slice(region); !strings.HasSuffix(orig, "\n") && !strings.HasSuffix(orig, "\r") {
		out = strings.TrimSuffix(out, nl)
	}
	plan.Edit = analysis.Edit{Span: region, Text: out}
	return plan, ""
}

func isRootSource(v string) bool { return v == "." || v == "./" }

func isDir(ctx analysis.BuildContext, p string) bool {
	if ctx.FS == nil {
		return false
	}
	info, err := fs.Stat(ctx.FS, p)
	return err == nil && info.IsDir()
}

// copiedBefore reports whether the stage copies manifests before c.
func copiedBefore(ix *analysis.Index, st analysis.Stage, c int) bool {
	for i := st.First + 1; i < c; i++ {
		n := ix.Node(i)
		if (n.Cmd == "copy" || n.Cmd == "add") && n.Flag("from") == nil && len(n.Args) >= 2 {
			return true
		}
	}
	return false
}

// frontendAllowsParents reports whether the file's `# syntax=` pins a
// Dockerfile frontend known to have COPY --parents (the Features table).
func frontendAllowsParents(ix *analysis.Index) bool {
	f := ix.Frontend()
	return f.Known && f.Has(analysis.LookupFeature("copy", "parents"))
}

// manifestCopies returns the COPY instructions that bring the manifests
// (context paths under srcDir; folders end in "/") to where the source
// copy puts them: the top-level files in one COPY, nested ones with
// COPY --parents where the frontend has it, else one COPY per folder.
func manifestCopies(ix *analysis.Index, src analysis.Node, srcDir, dest string, manifests []string) []string {
	kw := keyword(src, "COPY")
	var flags []string
	for _, f := range src.Flags {
		if f.Name.Value == "chown" || f.Name.Value == "chmod" || f.Name.Value == "link" {
			flags = append(flags, ix.Doc.Slice(src.Abs(f.Span)))
		}
	}
	d := dest
	if d == "." || d == "" {
		d = "./"
	} else if !strings.HasSuffix(d, "/") {
		d += "/"
	}
	line := func(extra []string, srcs []string, to string) string {
		parts := append([]string{kw}, flags...)
		parts = append(parts, extra...)
		parts = append(parts, srcs...)
		return strings.Join(append(parts, to), " ")
	}
	var top []string
	groups := map[string][]string{}
	var order []string
	for _, m := range manifests {
		rel := strings.TrimPrefix(strings.TrimPrefix(m, srcDir), "/")
		if strings.HasSuffix(m, "/") {
			rel += "/"
		}
		folder := path.Dir(strings.TrimSuffix(rel, "/"))
		if folder == "." && !strings.HasSuffix(rel, "/") {
			top = append(top, m)
			continue
		}
		if _, ok := groups[folder]; !ok {
			order = append(order, folder)
		}
		groups[folder] = append(groups[folder], m)
	}
	var out []string
	if len(top) > 0 {
		out = append(out, line(nil, top, d))
	}
	if len(order) == 0 {
		return out
	}
	if srcDir == "" && frontendAllowsParents(ix) {
		var nested []string
		for _, f := range order {
			nested = append(nested, groups[f]...)
		}
		return append(out, line([]string{"--parents"}, nested, d))
	}
	for _, f := range order {
		for _, m := range groups[f] {
			if strings.HasSuffix(m, "/") {
				rel := strings.TrimPrefix(strings.TrimPrefix(m, srcDir), "/")
				out = append(out, line(nil, []string{m}, d+rel))
				continue
			}
		}
		var files []string
		for _, m := range groups[f] {
			if !strings.HasSuffix(m, "/") {
				files = append(files, m)
			}
		}
		if len(files) > 0 {
			out = append(out, line(nil, files, d+f+"/"))
		}
	}
	return out
}

// splitStep returns the dependency step to add before the source for RUN
// k, a build that also reads the dependencies: uv sync told to install the
// dependencies only, mvn dependency:go-offline, gradle dependencies (of
// every project of a multi-project build), go mod download, dotnet
// restore, cargo fetch; with the RUN's own mounts. "" when it cannot be
// written.
func splitStep(ix *analysis.Index, k int, workspace string, ctx analysis.BuildContext, srcDir string) string {
	n := ix.Node(k)
	ins := analysis.Installs(ix, k)
	cmds, ok := analysis.RunCommands(ix, k)
	text := ix.Doc.Slice(n.Span())
	if !ok || len(cmds) != 1 || len(ins) != 1 || strings.Contains(text, "#") || n.JSON {
		return ""
	}
	in := ins[0]
	head := []string{keyword(n, "RUN")}
	for _, f := range n.Flags {
		head = append(head, ix.Doc.Slice(n.Abs(f.Span)))
	}
	var opts []string
	for _, w := range in.Words[1:] {
		if strings.HasPrefix(w, "-") {
			opts = append(opts, w)
		}
	}
	switch in.Tool {
	case "uv":
		flag := " --no-install-project"
		if workspace != "" {
			flag = " --no-install-workspace"
		}
		return strings.TrimRight(text, " \t\r\n") + flag
	case "mvn":
		for _, w := range in.Operands() {
			if w != "package" && w != "install" && w != "verify" && w != "clean" {
				return "" // another goal or an option's value: unsure what to fetch
			}
		}
		goal := "dependency:go-offline"
		if workspace != "" && ctx.MavenReactorDeps(srcDir) {
			// A module depends on another: the dependency: prefix runs the
			// plugin version the POMs or Maven's super POM give (2.8 up to
			// Maven 3.9.2), whose go-offline tries to download the sibling
			// and fails (MDEP-204, fixed in 3.1.2). Name a fixed version;
			// 3.6.1 runs on Maven 3.2.5 and later.
			goal = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1:go-offline"
		}
		return strings.Join(append(append(append(head, in.Words[0]), opts...), goal), " ")
	case "gradle":
		var projects []string
		if workspace != "" {
			// `gradle dependencies` is the root project's alone: each
			// included project's task is named by its path.
			ps, ok := ctx.GradleProjects(srcDir)
			if !ok || len(ps) > 30 {
				return ""
			}
			for _, p := range ps {
				projects = append(projects, p+":dependencies")
			}
		}
		for _, w := range in.Operands() {
			if w != "build" && w != "bootJar" && w != "jar" && w != "installDist" && w != "assemble" && w != "clean" &&
				!(workspace != "" && strings.HasPrefix(w, ":") && slices.ContainsFunc(projects, func(p string) bool { return strings.HasPrefix(w, strings.TrimSuffix(p, "dependencies")) })) {
				return ""
			}
		}
		step := append(append(head, in.Words[0], "dependencies"), projects...)
		if in.Has("--no-daemon") {
			step = append(step, "--no-daemon")
		}
		return strings.Join(step, " ")
	case "go":
		if len(in.Words) < 2 || in.Words[1] != "build" {
			return ""
		}
		return strings.Join(append(head, "go", "mod", "download"), " ")
	case "dotnet":
		restore, ok := dotnetRestore(in.Words)
		if !ok {
			return ""
		}
		return strings.Join(append(head, restore...), " ")
	case "cargo":
		// cargo fetch reads a manifest with a target: a placeholder
		// src/main.rs, removed after, stands in for the source (only
		// where nothing was copied before, so src/ is not the author's).
		st := ix.Stage(ix.StageOf(k))
		c := st.First + 1
		for c < k && !isSourceCopy(ix.Node(c)) {
			c++
		}
		if copiedBefore(ix, st, c) || hasShell(ix, k) {
			return ""
		}
		fetch := "cargo fetch"
		install := in.Words[1] == "install"
		if install && !in.Has("--locked") && !in.Has("--frozen") {
			// cargo install resolves the dependencies afresh unless told
			// to keep Cargo.lock: a fetch of the locked ones saves nothing.
			return ""
		}
		words := in.Words[2:]
		for j := 0; j < len(words); j++ {
			switch w := words[j]; {
			case w == "--locked" || w == "--frozen" || w == "--offline":
				fetch += " " + w
			case w == "--release" || w == "--all-features" || w == "--no-default-features":
			case install && w == "--path" && j+1 < len(words) && (words[j+1] == "." || words[j+1] == "./"):
				j++ // the package in the working directory, whose manifest is fetched
			default:
				return "" // a target, feature or profile option: unsure what to fetch
			}
		}
		return strings.Join(head, " ") + ` mkdir src && echo 'fn main() {}' > src/main.rs && ` + fetch + " && rm -r src"
	}
	return ""
}

// dotnetRestore is the `dotnet restore` a `dotnet publish` or `dotnet
// build` runs implicitly: the same project and runtime; false for an
// option it does not know, or --no-restore.
func dotnetRestore(words []string) ([]string, bool) {
	out := []string{words[0], "restore"}
	var project []string
	for i := 2; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "-r" || w == "--runtime" || w == "-a" || w == "--arch" || w == "--os" || w == "-s" || w == "--source":
			if i+1 >= len(words) {
				return nil, false
			}
			out = append(out, w, words[i+1])
			i++
		case w == "-c" || w == "--configuration" || w == "-o" || w == "--output" || w == "-f" || w == "--framework" || w == "-v" || w == "--verbosity":
			i++
		case strings.HasPrefix(w, "-p:") || strings.HasPrefix(w, "/p:") || strings.HasPrefix(w, "--property:"):
			out = append(out, w) // properties may choose the packages
		case w == "--self-contained" || w == "--no-self-contained" || w == "--nologo" || w == "--sc":
		case strings.HasPrefix(w, "-"):
			return nil, false
		default:
			project = append(project, w)
		}
	}
	if len(project) > 1 {
		return nil, false
	}
	return append(out[:2:2], append(project, out[2:]...)...), true
}

// hasShell reports whether a SHELL instruction precedes instruction k in
// its stage.
func hasShell(ix *analysis.Index, k int) bool {
	st := ix.Stage(ix.StageOf(k))
	for i := st.First + 1; i < k; i++ {
		if ix.Node(i).Cmd == "shell" {
			return true
		}
	}
	return false
}

// orderSafeSplit reports whether the dependency step of RUN k may run
// before the source copy c: nothing between them that it does not commute
// with but the moved instructions.
func orderSafeSplit(ix *analysis.Index, c, k int, chosen map[int]bool) bool {
	for i := c + 1; i < k; i++ {
		if chosen[i] {
			continue
		}
		n := ix.Node(i)
		if n.Cmd == "run" || n.Cmd == "onbuild" || setsState(n.Cmd) {
			return false
		}
	}
	return true
}

// layerChunk is instruction i with the comment and blank lines before it,
// through its last line's terminator.
func layerChunk(ix *analysis.Index, i int) analysis.Span {
	doc := ix.Doc
	n := ix.Node(i)
	start := doc.LineStart(doc.LineOf(n.Start))
	if i > 0 {
		p := ix.Node(i - 1)
		start = lineAfter(doc, p.Start+p.Len)
	}
	return analysis.Span{Start: start, End: lineAfter(doc, n.Start+n.Len)}
}

// leadingBlank splits the blank lines at the start of a chunk off it.
func leadingBlank(t string) (string, string) {
	k := 0
	for k < len(t) {
		end := strings.IndexAny(t[k:], "\n")
		if end < 0 || strings.TrimSpace(t[k:k+end]) != "" {
			break
		}
		k += end + 1
	}
	return t[:k], t[k:]
}

// isSourceCopy reports whether n copies files of the build context other
// than dependency manifests.
func isSourceCopy(n analysis.Node) bool {
	if (n.Cmd != "copy" && n.Cmd != "add") || n.Flag("from") != nil || len(n.Heredocs()) > 0 || len(n.Args) < 2 {
		return false
	}
	for _, a := range n.Args[:len(n.Args)-1] {
		v := a.Value
		if strings.Contains(v, "://") || strings.HasPrefix(v, "git@") {
			return false
		}
		if !isManifest(v) {
			return true
		}
	}
	return false
}

var manifestNames = []string{
	"package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", ".npmrc", ".yarnrc", ".yarnrc.yml",
	"requirements.txt", "pyproject.toml", "poetry.lock", "pipfile", "pipfile.lock", "setup.py", "setup.cfg",
	"go.mod", "go.sum", "gemfile", "gemfile.lock", "composer.json", "composer.lock", "pom.xml",
	"build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "gradle.properties",
	"nuget.config", "directory.build.props", "directory.packages.props", "global.json",
}

// isManifest reports whether a COPY source names a dependency manifest.
func isManifest(src string) bool {
	base := strings.ToLower(path.Base(strings.TrimSuffix(src, "*")))
	base = strings.TrimSuffix(base, "*")
	for _, m := range manifestNames {
		if base == m || strings.HasPrefix(m, base) && strings.HasSuffix(src, "*") {
			return true
		}
	}
	return strings.HasSuffix(base, ".csproj") || strings.HasSuffix(base, ".fsproj") || strings.HasSuffix(base, ".sln") ||
		strings.HasPrefix(base, "requirements") && strings.HasSuffix(base, ".txt") || base == "package*.json"
}

// notCopied returns the manifests, once each, less those an earlier COPY
// of the stage copies to where the source copy (srcDir to destAbs, at c)
// puts them, with no RUN or copy from elsewhere after it that could change
// them: the install reads those copies as it read the source copy's.
func notCopied(ix *analysis.Index, st analysis.Stage, c int, manifests []string, srcDir, destAbs string) []string {
	have := map[string]bool{}
	for i := c - 1; i > st.First; i-- {
		n := ix.Node(i)
		if n.Cmd == "run" || (n.Cmd == "copy" || n.Cmd == "add") && n.Flag("from") != nil {
			break // it may change what the copies before it brought
		}
		if (n.Cmd != "copy" && n.Cmd != "add") || len(n.Args) < 2 {
			continue
		}
		srcs := n.Args[:len(n.Args)-1]
		dest := analysis.AbsDest(ix, i, n.Args[len(n.Args)-1].Value)
		// Where the source copy puts context path p, and whether this copy
		// puts it there too: into dest as a folder, or as dest itself.
		lands := func(p string) bool {
			rel, ok := p, true
			if srcDir != "" {
				rel, ok = strings.CutPrefix(p, strings.TrimSuffix(srcDir, "/")+"/")
			}
			if dest == "" || destAbs == "" || !ok {
				return false
			}
			want := path.Join(destAbs, rel)
			return path.Join(dest, path.Base(p)) == want || len(srcs) == 1 && dest == want
		}
		for _, a := range srcs {
			if p, ok := analysis.ContextPath(a.Value); ok && lands(p) {
				have[p] = true
			}
			if strings.HasSuffix(a.Value, "*") || strings.Contains(a.Value, "*.") {
				for _, m := range manifests {
					if ok, _ := path.Match(strings.TrimPrefix(path.Clean("/"+a.Value), "/"), m); ok && lands(m) {
						have[m] = true
					}
				}
			}
		}
	}
	var out []string
	for _, m := range manifests {
		if !have[strings.TrimSuffix(m, "/")] && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

type layerKind int

const (
	layerFixed   layerKind = iota // stays where it is
	layerInstall                  // installs dependencies from manifests
	layerAlone                    // depends on no file of the context
	layerSplit                    // installs dependencies and the project: a dependency step goes first
)

// classifyLayer tells whether instruction i can move above the source
// copy: metadata that instructions need (ENV, ARG, WORKDIR) and RUNs of
// system package managers move; dependency installs move after their
// manifests. EXPOSE and LABEL stay: moving them saves nothing.
func classifyLayer(ix *analysis.Index, i int) layerKind {
	n := ix.Node(i)
	switch n.Cmd {
	case "env", "arg":
		return layerAlone
	case "workdir":
		if len(n.Args) > 0 && strings.HasPrefix(n.Args[0].Value, "/") && !strings.Contains(n.Args[0].Value, "$") {
			return layerAlone
		}
		return layerFixed
	case "run":
	default:
		return layerFixed
	}
	if n.JSON || len(n.Heredocs()) > 0 {
		return layerFixed
	}
	for _, f := range n.Flags {
		if !contextFree(f) {
			return layerFixed
		}
	}
	cmds, ok := analysis.RunCommands(ix, i)
	if !ok {
		return layerFixed
	}
	kind := layerAlone
	for _, c := range cmds {
		if len(c.Words) == 0 {
			continue
		}
		if in, ok := analysis.RecognizeInstall(c.Words); ok {
			switch {
			case in.Fetch:
				if kind == layerAlone {
					kind = layerInstall
				}
			case len(cmds) == 1 && (in.Tool == "uv" || in.Tool == "mvn" || in.Tool == "gradle" || in.Tool == "go" || in.Tool == "dotnet" || in.Tool == "cargo"):
				kind = layerSplit
			default:
				return layerFixed
			}
			continue
		}
		if !analysis.SystemCommand(c.Words) {
			return layerFixed
		}
	}
	return kind
}

// fixedWhy says why classifyLayer keeps RUN i, an install, in place.
func fixedWhy(ix *analysis.Index, i int) string {
	n := ix.Node(i)
	switch {
	case n.JSON:
		return "is in JSON form, which the planner does not read"
	case len(n.Heredocs()) > 0:
		return "is a heredoc script, which the planner does not read"
	}
	for _, f := range n.Flags {
		if !contextFree(f) {
			return "has a --" + f.Name.Value + " that may read the source"
		}
	}
	if _, ok := analysis.RunCommands(ix, i); !ok {
		return "is a script the planner cannot read"
	}
	return "runs with commands that may read the source, or installs what needs the whole project"
}

// contextFree reports whether a RUN flag reads nothing of the build
// context or of another stage: a cache, secret, ssh or tmpfs mount, or the
// network setting. A bind mount (the default type) reads files.
func contextFree(f analysis.Flag) bool {
	switch f.Name.Value {
	case "network":
		return true
	case "mount":
		m := analysis.ReadMount(f.Value, "", '\\')
		if _, from := m.Field("from"); from || m.Err != nil {
			return false
		}
		switch m.Type() {
		case "cache", "secret", "ssh", "tmpfs":
			return true
		}
	}
	return false
}

// orderSafe reports whether moving the chosen instructions of [c, end)
// above c, the source-independent ones first and the installs after,
// inverts only pairs that commute.
func orderSafe(ix *analysis.Index, c, end int, chosen map[int]bool, kinds map[int]layerKind) bool {
	rank := func(i int) int {
		switch {
		case chosen[i] && kinds[i] == layerAlone:
			return 0
		case chosen[i]:
			return 1
		}
		return 2
	}
	for a := c; a < end; a++ {
		for b := a + 1; b < end; b++ {
			if rank(b) < rank(a) && !commute(ix.Node(a), ix.Node(b), kinds) {
				return false
			}
		}
	}
	return true
}

// commute reports whether swapping two instructions of a stage changes
// nothing they do.
func commute(a, b analysis.Node, kinds map[int]layerKind) bool {
	if varsMeet(a, b) || varsMeet(b, a) {
		return false
	}
	for _, n := range []analysis.Node{a, b} {
		if n.Cmd == "from" || n.Cmd == "onbuild" || n.Cmd == "volume" {
			return false
		}
	}
	if metadataOnly(a.Cmd) || metadataOnly(b.Cmd) {
		return true
	}
	if a.Cmd == "run" || b.Cmd == "run" {
		r, o := a, b
		if r.Cmd != "run" {
			r, o = b, a
		}
		if o.Cmd == "run" || setsState(o.Cmd) {
			return false
		}
		return (o.Cmd == "copy" || o.Cmd == "add") && kinds[r.Index] != layerFixed
	}
	// A WORKDIR changes nothing of a COPY to an absolute folder.
	if w, o := a, b; (w.Cmd == "workdir") != (o.Cmd == "workdir") {
		if o.Cmd == "workdir" {
			w, o = o, w
		}
		if (o.Cmd == "copy" || o.Cmd == "add") && len(o.Args) >= 2 {
			dest := o.Args[len(o.Args)-1].Value
			return strings.HasPrefix(dest, "/") && !strings.Contains(dest, "$")
		}
	}
	vars := func(c string) bool { return c == "env" || c == "arg" }
	if vars(a.Cmd) || vars(b.Cmd) {
		return true // with any non-RUN instruction, once variables are apart
	}
	if a.Cmd == "shell" || b.Cmd == "shell" {
		return a.Cmd != b.Cmd
	}
	return false
}

// varsMeet reports whether a declares a variable that b declares or uses.
func varsMeet(a, b analysis.Node) bool {
	for _, d := range a.Decls {
		for _, e := range b.Decls {
			if d.Name.Value == e.Name.Value {
				return true
			}
		}
		for _, u := range b.Uses {
			if d.Name.Value == u.Name.Value {
				return true
			}
		}
	}
	return false
}

// installVerbs are the package managers' subcommands that install
// dependencies, for naming an install the planner did not take.
var installVerbs = map[string][]string{
	"npm": {"ci", "install", "i"}, "yarn": {"install"}, "pnpm": {"install", "i"}, "bun": {"install", "i"},
	"pip": {"install"}, "pip3": {"install"}, "poetry": {"install"}, "pipenv": {"install", "sync"}, "uv": {"sync", "pip"},
	"bundle": {"install"}, "composer": {"install"}, "mvn": {"package", "install", "verify"}, "gradle": {"build"},
	"dotnet": {"restore", "publish", "build"}, "cargo": {"build", "install", "fetch"},
}

// unreadInstall says why a RUN after the source copy c that runs a
// package manager's install is not taken as a dependency install, or "":
// its script is more than simple commands, or the install builds from the
// source (composer's scripts and autoloader, an install of the project).
func unreadInstall(ix *analysis.Index, c, end int) string {
	for k := c + 1; k < end; k++ {
		n := ix.Node(k)
		if n.Cmd != "run" {
			continue
		}
		fields := strings.Fields(ix.Doc.Slice(n.Span()))
		for j := 0; j+1 < len(fields); j++ {
			tool := path.Base(strings.Trim(fields[j], "`;&|()\"'\\"))
			if !slices.Contains(installVerbs[tool], fields[j+1]) {
				continue
			}
			at := "the install at line " + strconv.Itoa(ix.Doc.LineOf(n.Start)+1) + " (" + tool + " " + fields[j+1] + ")"
			if _, ok := analysis.RunCommands(ix, k); !ok {
				return at + " is in a script the planner cannot read (expansions in words, globs, control flow), so it cannot tell what the script reads"
			}
			if tool == "composer" {
				return at + " runs the project's scripts and builds its autoloader from the source; with --no-scripts --no-autoloader it could go first, and composer dump-autoload after the source"
			}
			return at + " reads the source as written (it installs the project itself, or with options the planner does not know)"
		}
	}
	return ""
}

// installOutputs are the folders an install writes beside its manifests
// (and reads when they are there: Poetry uses a .venv it finds). Not
// dotnet's obj: a restore reads the obj it finds as much as the build
// after it does, so the host's obj counts in either order.
var installOutputs = map[string][]string{
	"npm": {"node_modules"}, "yarn": {"node_modules"}, "pnpm": {"node_modules"}, "bun": {"node_modules"},
	"uv": {".venv"}, "poetry": {".venv"}, "pipenv": {".venv"}, "composer": {"vendor"}, "bundle": {"vendor/bundle"},
}

// clobbered says which install output folder the source copy src (of the
// context folder srcDir) brings over what a moved install or an added
// dependency step wrote, or "".
func clobbered(ix *analysis.Index, plan *LayerPlan, inputs map[int][]string, src analysis.Node, srcDir string, ctx analysis.BuildContext) string {
	if ctx.FS == nil {
		return ""
	}
	excludes := analysis.CopyExcludes(src)
	for _, k := range append(append([]int(nil), plan.Installs...), plan.Split...) {
		folders := []string{srcDir}
		for _, f := range inputs[k] {
			folders = appendUnique(folders, path.Dir(strings.TrimSuffix(f, "/")))
		}
		for _, in := range analysis.Installs(ix, k) {
			for _, out := range installOutputs[in.Tool] {
				for _, d := range folders {
					p := path.Join(d, out)
					if p == "." || strings.HasPrefix(p, "../") || ctx.Ignored(p) {
						continue
					}
					rel := strings.TrimPrefix(p, strings.TrimSuffix(srcDir, "/")+"/")
					if srcDir == "" {
						rel = p
					}
					if analysis.Excluded(excludes, rel) {
						continue
					}
					if _, err := fs.Stat(ctx.FS, p); err == nil {
						return "the source copy at line " + strconv.Itoa(ix.Doc.LineOf(src.Start)+1) + " brings " + p + " from the build context (no .dockerignore excludes it): copied after the " + in.Tool + " install it would overwrite what the install put there"
					}
				}
			}
		}
	}
	return ""
}

func appendUnique(list []string, s string) []string {
	if s == "." {
		s = ""
	}
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
