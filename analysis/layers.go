package analysis

import (
	"path"
	"strings"
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
	// ManifestCopy is the COPY instruction added before the installs, or
	// "" when the stage copies the manifests already.
	ManifestCopy string
	Edit         Edit
}

// maxPlanStage bounds the instructions of a stage the planner considers.
const maxPlanStage = 400

// PlanLayers plans the reordering of stage s, or returns nil and why not.
// It never moves an instruction across one it does not commute with: a RUN
// keeps the WORKDIR, USER, SHELL, ARG and ENV it had and its order among
// other RUNs, and no instruction moves across one that declares or uses a
// variable it uses or declares. A plan moves at least one RUN: moving only
// metadata saves nothing worth an edit.
func PlanLayers(ix *Index, s int) (*LayerPlan, string) {
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
	dest, rootCopy := "", false
	if srcs := src.Args[:len(src.Args)-1]; len(srcs) == 1 && (srcs[0].Value == "." || srcs[0].Value == "./") {
		dest = src.Args[len(src.Args)-1].Value
		rootCopy = manifestDestOK(ix, st, c, dest)
	}

	kinds := map[int]layerKind{}
	var manifests []string
	var candidates []int
	for k := c + 1; k < st.End; k++ {
		n := ix.Node(k)
		kind, _ := classifyLayer(n)
		if kind == layerInstall && !rootCopy {
			kind = layerFixed
		}
		if kind != layerFixed {
			kinds[k] = kind
			candidates = append(candidates, k)
		}
	}
	chosen := map[int]bool{}
	for _, k := range candidates {
		chosen[k] = true
		if !orderSafe(ix, c, st.End, chosen, kinds) {
			delete(chosen, k)
		}
	}
	plan := &LayerPlan{Stage: s, SourceCopy: c}
	runs := 0
	for _, k := range candidates {
		if !chosen[k] {
			continue
		}
		if kinds[k] == layerInstall {
			plan.Installs = append(plan.Installs, k)
			_, files := classifyLayer(ix.Node(k))
			manifests = appendNew(manifests, files...)
		} else {
			plan.Moved = append(plan.Moved, k)
		}
		if ix.Node(k).Cmd == "run" {
			runs++
		}
	}
	if runs == 0 {
		return nil, "no RUN after the source copy can move above it"
	}
	manifests = notCopied(ix, st, c, manifests)

	doc := ix.Doc
	nl := "\n"
	if strings.Contains(doc.Slice(Span{0, min(doc.Len(), 4096)}), "\r\n") {
		nl = "\r\n"
	}
	if len(manifests) > 0 {
		d := dest
		if d == "." || d == "" {
			d = "./"
		} else if !strings.HasSuffix(d, "/") {
			d += "/"
		}
		kw := "COPY"
		if src.Keyword.Value == strings.ToLower(src.Keyword.Value) {
			kw = "copy"
		}
		parts := []string{kw}
		for _, f := range src.Flags {
			if f.Name.Value == "chown" || f.Name.Value == "chmod" || f.Name.Value == "link" {
				parts = append(parts, doc.Slice(src.Abs(f.Span)))
			}
		}
		parts = append(parts, manifests...)
		parts = append(parts, d)
		plan.ManifestCopy = strings.Join(parts, " ")
	}

	last := c
	for k := range chosen {
		last = max(last, k)
	}
	region := Span{layerChunk(ix, c).Start, layerChunk(ix, last).End}
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
	if plan.ManifestCopy != "" {
		b.WriteString(plan.ManifestCopy + nl)
	}
	moved(plan.Installs)
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
	plan.Edit = Edit{Span: region, Text: out}
	return plan, ""
}

// layerChunk is instruction i with the comment and blank lines before it,
// through its last line's terminator.
func layerChunk(ix *Index, i int) Span {
	doc := ix.Doc
	after := func(off int) int {
		line := doc.LineOf(off)
		if line+1 >= doc.LineCount() {
			return doc.Len()
		}
		return doc.LineStart(line + 1)
	}
	n := ix.Node(i)
	start := doc.LineStart(doc.LineOf(n.Start))
	if i > 0 {
		p := ix.Node(i - 1)
		start = after(p.Start + p.Len)
	}
	return Span{start, after(n.Start + n.Len)}
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

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		dup := false
		for _, l := range list {
			dup = dup || l == it
		}
		if !dup {
			list = append(list, it)
		}
	}
	return list
}

// isSourceCopy reports whether n copies files of the build context other
// than dependency manifests.
func isSourceCopy(n Node) bool {
	if (n.Cmd != "copy" && n.Cmd != "add") || n.Flag("from") != nil || len(n.Heredocs) > 0 || len(n.Args) < 2 {
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

// manifestDestOK reports whether manifests copied to dest land in the
// directory the installs run in: dest is the working directory itself.
func manifestDestOK(ix *Index, st Stage, c int, dest string) bool {
	if strings.Contains(dest, "$") {
		return false
	}
	if dest == "." || dest == "./" {
		return true
	}
	workdir := ""
	for i := st.First + 1; i < c; i++ {
		if n := ix.Node(i); n.Cmd == "workdir" && len(n.Args) > 0 {
			w := n.Args[0].Value
			if strings.Contains(w, "$") {
				return false
			}
			if strings.HasPrefix(w, "/") {
				workdir = path.Clean(w)
			} else if workdir != "" {
				workdir = path.Join(workdir, w)
			}
		}
	}
	return workdir != "" && path.Clean(dest) == workdir
}

// notCopied drops the manifests an earlier COPY of the stage copies.
func notCopied(ix *Index, st Stage, c int, manifests []string) []string {
	have := map[string]bool{}
	for i := st.First + 1; i < c; i++ {
		n := ix.Node(i)
		if (n.Cmd == "copy" || n.Cmd == "add") && n.Flag("from") == nil && len(n.Args) >= 2 {
			for _, a := range n.Args[:len(n.Args)-1] {
				have[strings.TrimSuffix(path.Base(a.Value), "*")] = true
			}
		}
	}
	var out []string
	for _, m := range manifests {
		if !have[strings.TrimSuffix(m, "*")] && !(m == "package*.json" && have["package.json"] && have["package-lock.json"]) {
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
)

// classifyLayer tells whether n can move above the source copy, and for a
// dependency install, the manifests it reads.
func classifyLayer(n Node) (layerKind, []string) {
	switch n.Cmd {
	case "env", "arg", "label", "expose":
		return layerAlone, nil
	case "run":
	default:
		return layerFixed, nil
	}
	if n.JSON || len(n.Heredocs) > 0 {
		return layerFixed, nil
	}
	for _, f := range n.Flags {
		if !contextFree(f) {
			return layerFixed, nil
		}
	}
	kind := layerAlone
	var files []string
	for _, seg := range segments(n.Args) {
		if len(seg) == 0 {
			continue
		}
		if m, ok := installManifests(seg); ok {
			kind = layerInstall
			files = appendNew(files, m...)
			continue
		}
		if !systemCommand(seg) {
			return layerFixed, nil
		}
	}
	return kind, files
}

// contextFree reports whether a RUN flag reads nothing of the build
// context or of another stage: a cache, secret, ssh or tmpfs mount, or the
// network setting. A bind mount (the default type) reads files.
func contextFree(f Flag) bool {
	switch f.Name.Value {
	case "network":
		return true
	case "mount":
		for _, kv := range strings.Split(f.Value.Value, ",") {
			k, v, _ := strings.Cut(kv, "=")
			if strings.TrimSpace(k) == "from" {
				return false
			}
			if strings.TrimSpace(k) == "type" {
				switch strings.TrimSpace(v) {
				case "cache", "secret", "ssh", "tmpfs":
				default:
					return false
				}
				return !strings.Contains(f.Value.Value, "from=")
			}
		}
	}
	return false
}

// segments splits a shell command's words at `&&` and `;`. It returns nil
// when the command uses any other shell operator.
func segments(args []Token) [][]string {
	var out [][]string
	var cur []string
	for _, a := range args {
		w := a.Value
		switch {
		case w == "&&" || w == ";":
			out = append(out, cur)
			cur = nil
			continue
		case strings.ContainsAny(w, "|<>&()`'\"") || strings.Contains(w, "$("):
			return [][]string{{"|"}}
		case strings.HasSuffix(w, ";"):
			cur = append(cur, strings.TrimSuffix(w, ";"))
			out = append(out, cur)
			cur = nil
			continue
		}
		cur = append(cur, w)
	}
	return append(out, cur)
}

// stripAssignments drops leading NAME=value words.
func stripAssignments(seg []string) []string {
	for len(seg) > 0 && strings.Contains(seg[0], "=") && !strings.HasPrefix(seg[0], "-") {
		seg = seg[1:]
	}
	return seg
}

func positional(words []string) []string {
	var out []string
	for _, w := range words {
		if !strings.HasPrefix(w, "-") {
			out = append(out, w)
		}
	}
	return out
}

func hasWord(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}

// installManifests recognises a dependency install and returns the
// manifests it reads.
func installManifests(seg []string) ([]string, bool) {
	seg = stripAssignments(seg)
	if len(seg) < 1 {
		return nil, false
	}
	tool, rest := seg[0], seg[1:]
	switch tool {
	case "npm":
		if len(rest) > 0 && (rest[0] == "ci" || rest[0] == "install" || rest[0] == "i") && len(positional(rest[1:])) == 0 {
			return []string{"package*.json"}, true
		}
	case "yarn":
		if (len(rest) == 0 || rest[0] == "install" || strings.HasPrefix(rest[0], "-")) && len(positional(rest)) <= 1 && (len(positional(rest)) == 0 || positional(rest)[0] == "install") {
			return []string{"package.json", "yarn.lock*"}, true
		}
	case "pnpm":
		if len(rest) > 0 && (rest[0] == "install" || rest[0] == "i") && len(positional(rest[1:])) == 0 {
			return []string{"package.json", "pnpm-lock.yaml*"}, true
		}
	case "pip", "pip3", "python", "python3":
		if tool == "python" || tool == "python3" {
			if len(rest) < 2 || rest[0] != "-m" || rest[1] != "pip" {
				return nil, false
			}
			rest = rest[2:]
		}
		return pipManifests(rest)
	case "poetry":
		if len(rest) > 0 && rest[0] == "install" && hasWord(rest, "--no-root") && len(positional(rest[1:])) == 0 {
			return []string{"pyproject.toml", "poetry.lock*"}, true
		}
	case "pipenv":
		if len(rest) > 0 && rest[0] == "install" && len(positional(rest[1:])) == 0 {
			return []string{"Pipfile", "Pipfile.lock*"}, true
		}
	case "go":
		if len(rest) >= 2 && rest[0] == "mod" && rest[1] == "download" && len(positional(rest[2:])) == 0 {
			return []string{"go.mod", "go.sum*"}, true
		}
	case "bundle":
		if len(rest) > 0 && rest[0] == "install" && len(positional(rest[1:])) == 0 {
			return []string{"Gemfile", "Gemfile.lock*"}, true
		}
	case "composer":
		if len(rest) > 0 && rest[0] == "install" && len(positional(rest[1:])) == 0 && (hasWord(rest, "--no-scripts") || hasWord(rest, "--no-autoloader")) {
			return []string{"composer.json", "composer.lock*"}, true
		}
	case "mvn":
		p := positional(rest)
		if len(p) == 1 && (p[0] == "dependency:go-offline" || p[0] == "dependency:resolve") {
			return []string{"pom.xml"}, true
		}
	case "gradle":
		p := positional(rest)
		if len(p) == 1 && p[0] == "dependencies" {
			return []string{"build.gradle*", "settings.gradle*"}, true
		}
	case "dotnet":
		if len(rest) > 0 && rest[0] == "restore" && len(positional(rest[1:])) == 0 {
			return []string{"*.csproj"}, true
		}
	}
	return nil, false
}

func pipManifests(rest []string) ([]string, bool) {
	if len(rest) == 0 || rest[0] != "install" {
		return nil, false
	}
	var files []string
	valued := map[string]bool{"-i": true, "--index-url": true, "--extra-index-url": true, "--trusted-host": true, "--timeout": true, "--retries": true}
	for k := 1; k < len(rest); k++ {
		w := rest[k]
		switch {
		case w == "-r" || w == "--requirement" || w == "-c" || w == "--constraint":
			if k+1 >= len(rest) {
				return nil, false
			}
			f := rest[k+1]
			if strings.ContainsAny(f, "/$*") {
				return nil, false
			}
			files = append(files, f)
			k++
		case valued[w]:
			k++
		case strings.HasPrefix(w, "-"):
			if strings.Contains(w, "=") && (strings.HasPrefix(w, "--requirement=") || strings.HasPrefix(w, "--constraint=")) {
				return nil, false
			}
		default:
			return nil, false
		}
	}
	return files, len(files) > 0
}

// systemCommand recognises a system package manager command that reads no
// file of the build context.
func systemCommand(seg []string) bool {
	seg = stripAssignments(seg)
	if len(seg) == 0 {
		return false
	}
	for _, w := range seg[1:] {
		if strings.HasPrefix(w, ".") || strings.HasPrefix(w, "/") && seg[0] != "rm" {
			return false
		}
	}
	p := positional(seg[1:])
	switch seg[0] {
	case "apt-get", "apt":
		return len(p) > 0 && (p[0] == "update" || p[0] == "install" || p[0] == "clean" || p[0] == "autoremove" || p[0] == "upgrade" || p[0] == "dist-upgrade")
	case "apk":
		return len(p) > 0 && (p[0] == "add" || p[0] == "update" || p[0] == "upgrade")
	case "yum", "dnf", "microdnf":
		return len(p) > 0 && (p[0] == "install" || p[0] == "update" || p[0] == "clean" || p[0] == "upgrade" || p[0] == "makecache")
	case "rm":
		for _, w := range p {
			if !strings.HasPrefix(w, "/var/lib/apt/lists") && !strings.HasPrefix(w, "/var/cache/") && !strings.HasPrefix(w, "/tmp/") {
				return false
			}
		}
		return len(p) > 0
	case "set":
		return true
	}
	return false
}

// orderSafe reports whether moving the chosen instructions of [c, end)
// above c, the source-independent ones first and the installs after,
// inverts only pairs that commute.
func orderSafe(ix *Index, c, end int, chosen map[int]bool, kinds map[int]layerKind) bool {
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

var metaCmds = map[string]bool{"label": true, "expose": true, "cmd": true, "entrypoint": true, "healthcheck": true, "stopsignal": true, "maintainer": true}

// commute reports whether swapping two instructions of a stage changes
// nothing they do.
func commute(a, b Node, kinds map[int]layerKind) bool {
	if varsMeet(a, b) || varsMeet(b, a) {
		return false
	}
	for _, n := range []Node{a, b} {
		if n.Cmd == "from" || n.Cmd == "onbuild" || n.Cmd == "volume" {
			return false
		}
	}
	if metaCmds[a.Cmd] || metaCmds[b.Cmd] {
		return true
	}
	envCmd := func(c string) bool {
		return c == "env" || c == "arg" || c == "workdir" || c == "user" || c == "shell"
	}
	if a.Cmd == "run" || b.Cmd == "run" {
		r, o := a, b
		if r.Cmd != "run" {
			r, o = b, a
		}
		if o.Cmd == "run" || envCmd(o.Cmd) {
			return false
		}
		return (o.Cmd == "copy" || o.Cmd == "add") && kinds[r.Index] != layerFixed
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
func varsMeet(a, b Node) bool {
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
