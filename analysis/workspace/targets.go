// Package workspace is the project model that `stagehand check` and the
// server share: the repository's root and settings file, the Dockerfiles
// in it (one rule, IsDockerfile), and the places in other files that name
// a build target: Compose `build.target` (through `extends`), Bake
// `target` (literal, matrix, variable default; `bake --set`), GitHub
// workflows (build-push-action's `target:`, `run:` steps), GitLab CI
// scripts, dev containers, Skaffold, Tiltfiles, and build commands in
// shell scripts, Makefiles and justfiles. Each place is kept with its
// exact span and the Dockerfile it builds, so a stage named only as a
// target still counts as used, and navigation can cross files.
package workspace

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/confined"
)

// Kind is the sort of file a target is named in.
type Kind int

const (
	NotTargets Kind = iota
	Compose
	Bake
	BakeJSON
	Workflow
	Script
	GitLab
	Devcontainer
	Skaffold
	Tiltfile
	PackageJSON
)

func (k Kind) String() string {
	return [...]string{"none", "compose", "bake", "bake", "workflow", "script", "gitlab", "devcontainer", "skaffold", "tiltfile", "package.json"}[k]
}

// Target is one place that names a build target.
type Target struct {
	File       string        // the file that names it
	Kind       Kind          // what sort of file that is
	Name       string        // the stage named; "" while it is being typed
	Span       analysis.Span // the name's bytes in File (empty where the value is empty)
	Line       int           // Span's line in File, 1-based
	Dockerfile string        // the Dockerfile it builds, cleaned and absolute when File is
	Owner      string        // the Compose service, Bake target or workflow step, for messages
	// Context is the build context folder Compose or Bake names (cleaned,
	// absolute when File is); "" for other kinds and remote contexts.
	Context string
	// Via is another file the target was read through (the Compose file
	// a service extends, a called workflow): a change there changes it.
	Via string
	// Computed is set when the file builds the name from literal text and
	// values (`runtime-${item}` over a Bake matrix, `--target
	// runtime-$(FLAVOR)`): Span covers the whole expression, so a rename
	// cannot edit the name there, nor completion replace it.
	Computed bool
	// BuildFile is the file whose build the target is, where not File:
	// a Bake target defined in docker-bake.hcl and merged with its blocks
	// in docker-bake.override.hcl is one build, the first file's.
	BuildFile string
	// Overridden is set on a Bake target's `target` that a file merged
	// after this one sets anew: buildx builds that file's value. It still
	// names the stage (a rename edits it), but builds nothing.
	Overridden bool
	// Bake, when set, says the target is set on Bake targets
	// (`docker buildx bake --set app.target=dev`): the Dockerfiles are
	// theirs, found in the Bake files, and Dockerfile is empty.
	Bake *BakeRef
}

// BakeRef names the Bake targets a `--set <pattern>.target=` applies to.
type BakeRef struct {
	Files   []string // the Bake files read, the first that exists
	Pattern string   // the Bake targets --set matches: a name, or a glob like *
	Named   []string // the targets and groups the command builds; none: the default group
	// cwd is where the command runs: buildx resolves the paths of a Bake
	// file it names from there.
	cwd string
	// read holds what --set reads of the files the scan does not index
	// (`-f ci/build.hcl`), read with the command.
	read map[string]*bakeFile
}

// TargetGlobs are LSP file-watcher globs of the files Classify accepts.
var TargetGlobs = []string{
	"**/{compose,docker-compose}*.{yaml,yml}",
	"**/docker-bake*.{hcl,json}",
	"**/.github/workflows/*.{yml,yaml}",
	"**/{Makefile,GNUmakefile,*.mk,justfile,.justfile,*.just,*.sh,*.bash}",
	"**/{.gitlab-ci.yml,.gitlab-ci.yaml,*.gitlab-ci.yml}",
	"**/.gitlab/ci/*.{yml,yaml}",
	"**/{.devcontainer.json,.devcontainer/devcontainer.json}",
	"**/skaffold*.{yaml,yml}",
	"**/{Tiltfile,*.tiltfile}",
	"**/package.json",
}

// ReadThroughGlobs are LSP file-watcher globs of files that name no
// targets but that the files naming them read: the .env file Compose
// interpolates from. A change to one re-reads its Dependents.
var ReadThroughGlobs = []string{"**/.env"}

// IsReadThrough reports whether file p is of a kind ReadThroughGlobs
// covers: the .env a Compose file interpolates from.
func IsReadThrough(p string) bool { return filepath.Base(p) == ".env" }

// Classify tells from a file's path whether it can name targets.
func Classify(p string) Kind {
	base := strings.ToLower(filepath.Base(p))
	dir := filepath.ToSlash(filepath.Dir(p))
	ext := path.Ext(base)
	switch {
	case isComposeName(base):
		return Compose
	case strings.HasPrefix(base, "docker-bake") && (ext == ".hcl"):
		return Bake
	case strings.HasPrefix(base, "docker-bake") && ext == ".json":
		return BakeJSON
	case (ext == ".yml" || ext == ".yaml") && strings.HasSuffix(dir, ".github/workflows"):
		return Workflow
	case base == ".gitlab-ci.yml" || base == ".gitlab-ci.yaml" || strings.HasSuffix(base, ".gitlab-ci.yml") ||
		((ext == ".yml" || ext == ".yaml") && strings.Contains(dir+"/", "/.gitlab/ci/")):
		return GitLab
	case base == ".devcontainer.json" || (base == "devcontainer.json" && strings.Contains(dir+"/", "/.devcontainer/")):
		return Devcontainer
	case strings.HasPrefix(base, "skaffold") && (ext == ".yaml" || ext == ".yml"):
		return Skaffold
	case base == "tiltfile" || strings.HasSuffix(base, ".tiltfile"):
		return Tiltfile
	case base == "package.json":
		return PackageJSON
	case base == "makefile" || base == "gnumakefile" || ext == ".mk" || base == "justfile" || base == ".justfile" ||
		ext == ".sh" || ext == ".bash" || ext == ".just":
		return Script
	}
	return NotTargets
}

func isComposeName(base string) bool {
	for _, stem := range []string{"compose", "docker-compose"} {
		if !strings.HasPrefix(base, stem) {
			continue
		}
		rest := strings.TrimPrefix(base, stem)
		// compose.yaml, docker-compose.override.yml, compose.dev.yaml ...
		if strings.HasSuffix(rest, ".yaml") || strings.HasSuffix(rest, ".yml") {
			mid := strings.TrimSuffix(strings.TrimSuffix(rest, ".yaml"), ".yml")
			if mid == "" || (strings.HasPrefix(mid, ".") && !strings.Contains(mid[1:], "/")) {
				return true
			}
		}
	}
	return false
}

// walked is what one read of a file that names targets finds: the
// targets it names, the build arguments it passes, the builds (Dockerfile
// and context) it defines and, for a Bake HCL file, what --set reads.
type walked struct {
	targets  []Target
	args     []BuildArg
	contexts []NamedContext
	builds   []Build
	bake     *bakeFile
	// via is the other files the walk read (a base Compose file, the
	// other default Bake file, a called workflow): a change to one
	// changes what it found, targets, arguments, contexts and builds.
	via []string
	// bakeFiles are the Bake files build commands name (`docker buildx
	// bake -f ci/build.hcl`); walkFile reads those the scan does not.
	bakeFiles []bakeFileRef
	// makeCalls are the calls of make with variables on their command
	// line (`make e2e TARGET=e2e`); walkFile reads the Makefiles they run.
	makeCalls []makeCallRef
	// bakeCalls are the bake commands; walkFile reads their Bake files'
	// variables from their environment.
	bakeCalls []bakeCall
	// composeCalls are the docker compose commands naming their files;
	// walkFile reads the files past the first.
	composeCalls []composeCallRef
	// scriptCalls are the calls of the repository's scripts; walkFile
	// reads them with the calls' arguments.
	scriptCalls []scriptCallRef
}

// bakeFileRef is a Bake file a command names and the folder the command
// runs in: buildx resolves the file's local paths (context, dockerfile)
// from there, not from the file's folder.
type bakeFileRef struct {
	file, cwd string
	files     string // the command's -f files, in order, joined by NUL: read together
}

// add appends what another walk found.
func (w *walked) add(o walked) {
	w.targets = append(w.targets, o.targets...)
	w.args = append(w.args, o.args...)
	w.contexts = append(w.contexts, o.contexts...)
	w.builds = append(w.builds, o.builds...)
	w.via = append(w.via, o.via...)
	w.bakeFiles = append(w.bakeFiles, o.bakeFiles...)
	w.makeCalls = append(w.makeCalls, o.makeCalls...)
	w.bakeCalls = append(w.bakeCalls, o.bakeCalls...)
	w.composeCalls = append(w.composeCalls, o.composeCalls...)
	w.scriptCalls = append(w.scriptCalls, o.scriptCalls...)
}

// walkers read each kind of file, once.
var walkers = map[Kind]func(src source, file, text string) walked{
	Compose:      walkCompose,
	Bake:         rooted(walkBakeFile),
	BakeJSON:     rooted(walkBakeFile),
	Workflow:     walkWorkflow,
	Script:       walkScript,
	GitLab:       walkGitLab,
	Devcontainer: targetsOnly(devcontainerTargets),
	Skaffold:     targetsOnly(skaffoldTargets),
	Tiltfile:     targetsOnly(tiltTargets),
	PackageJSON:  targetsOnly(packageTargets),
}

func targetsOnly(read func(file, text string) []Target) func(src source, file, text string) walked {
	return func(_ source, file, text string) walked { return walked{targets: read(file, text)} }
}

// rooted adapts a walker that reads other files from disk, inside root.
func rooted(walk func(root, file, text string) walked) func(src source, file, text string) walked {
	return func(src source, file, text string) walked { return walk(src.root, file, text) }
}

// source is where a walk reads the other files it reads through (a .env,
// a file Compose extends): inside root, the text of one open in the
// editor winning over the disk's.
type source struct {
	root string
	open map[string]string
	// dotenv, when set, is what Compose interpolates with instead of the
	// .env beside the file: an included file's environment.
	dotenv map[string]string
	// bases, when set, gives the Compose file each file of a project
	// (`docker compose -f a.yml -f b.yml`) is merged onto.
	bases map[string]string
	// project is the folder of the project's first file: docker compose
	// resolves the paths of the files merged onto it from there.
	project string
}

// composeAt is where Compose resolves the relative paths of the Compose
// file at file from: a later file of a project's -f list as if it lay
// beside the first, whose folder is the project's; another where it lies.
func (s source) composeAt(file string) string {
	if _, later := s.bases[file]; later && s.project != "" {
		return filepath.Join(s.project, filepath.Base(file))
	}
	return file
}

// read returns file p's text, at most max bytes from disk.
func (s source) read(p string, max int64) ([]byte, error) {
	if text, ok := s.open[p]; ok {
		if _, err := confined.Rel(s.root, p); err != nil {
			return nil, err
		}
		return []byte(text), nil
	}
	return confined.ReadFile(s.root, p, max)
}

// readText returns file p's text, when it exists and is at most the
// size limit: a file a script sources.
func (s source) readText(p string) (string, bool) {
	data, err := s.read(p, DefaultLimits.MaxSize)
	return string(data), err == nil && len(data) <= int(DefaultLimits.MaxSize)
}

// walkFile reads the file at p (content is its text) by its kind; the
// other files it reads come from src. Files that do not parse yield
// nothing: they are someone else's to report.
func walkFile(src source, p, content string) walked {
	walker, ok := walkers[Classify(p)]
	if !ok {
		return walked{}
	}
	w := walker(src, p, content)
	named := namedBakeTargets(src, dedupe(w.bakeFiles))
	w.targets = append(w.targets, named.targets...)
	w.args = append(w.args, named.args...)
	w.contexts = append(w.contexts, named.contexts...)
	w.builds = append(w.builds, named.builds...)
	w.add(bakeCallBuilds(src, p, w.bakeCalls))
	w.targets = append(w.targets, calledScriptTargets(src, p, w.scriptCalls)...)
	for _, c := range w.composeCalls {
		w.add(composeProject(src, c.files))
	}
	made, included := madeTargets(src, p, w.makeCalls)
	w.targets = append(w.targets, made...)
	w.via = append(w.via, included...)
	for _, t := range w.targets {
		if t.Bake != nil {
			t.Bake.readNamed(src)
			for f := range t.Bake.read {
				w.via = append(w.via, f) // an edit there changes what the --set builds
			}
		}
	}
	for i, t := range w.targets {
		if t.File != "" && t.File != p {
			// Named in another file, which the walker read (Compose
			// extends, a Makefile's include): its line is there.
			if t.Kind == NotTargets {
				w.targets[i].Kind = Classify(p)
			}
			if t.Line == 0 {
				if data, err := src.read(t.File, DefaultLimits.MaxSize); err == nil {
					w.targets[i].Line = 1 + strings.Count(string(data[:min(t.Span.Start, len(data))]), "\n")
				}
			}
			continue
		}
		t.File = p
		t.Kind = Classify(p)
		if t.Dockerfile != "" {
			t.Dockerfile = filepath.Clean(t.Dockerfile)
		}
		t.Line = 1 + strings.Count(content[:min(t.Span.Start, len(content))], "\n")
		w.targets[i] = t
	}
	for i := range w.args {
		if w.args[i].File == "" {
			w.args[i].File = p
		}
	}
	// A value written once may be read by several commands (a Make
	// variable's default, used by two recipes): it names its stage once,
	// or references list it twice and a rename edits it twice.
	type key struct {
		span             analysis.Span
		file, name, df   string
		bake             string
		bakeFiles, named string
		owner            string
	}
	seen := map[key]bool{}
	w.targets = slices.DeleteFunc(w.targets, func(t Target) bool {
		k := key{span: t.Span, file: t.File, name: t.Name, df: t.Dockerfile}
		if t.Kind == Bake || t.Kind == BakeJSON {
			// Two Bake targets inheriting one `target` are two builds of it.
			k.owner = t.Owner
		}
		if t.Bake != nil {
			k.bake, k.bakeFiles, k.named = t.Bake.Pattern, strings.Join(t.Bake.Files, "\x00"), strings.Join(t.Bake.Named, "\x00")
		}
		if seen[k] {
			return true
		}
		seen[k] = true
		return false
	})
	for _, t := range w.targets {
		w.via = append(w.via, t.Via, t.File)
	}
	w.via = slices.DeleteFunc(dedupe(w.via), func(f string) bool { return f == "" || f == p })
	w.args = dedupe(w.args)
	w.contexts = dedupe(w.contexts)
	return w
}

// namedBakeTargets are the targets of the Bake files that build commands
// name with -f and whose names the scan does not read as Bake files
// (ci/build.hcl; JSON by its extension): `docker buildx bake -f
// ci/build.hcl lint` builds its targets' stages. The build arguments and
// named contexts its targets pass come with them, written in it, and its
// targets' builds.
func namedBakeTargets(src source, files []bakeFileRef) walked {
	var w walked
	for _, ref := range files {
		f := ref.file
		if k := Classify(f); k == Bake || k == BakeJSON {
			continue
		}
		data, err := src.read(f, DefaultLimits.MaxSize)
		if err != nil || len(data) > int(DefaultLimits.MaxSize) {
			continue
		}
		text := string(data)
		// Read as if it lay where the command runs: its paths are
		// resolved from there.
		b := walkBakeWith(src.root, filepath.Join(ref.cwd, filepath.Base(f)), text, bakeWith{files: strings.Split(ref.files, "\x00"), self: f})
		for _, t := range b.stageTargets() {
			t.File, t.Kind = f, Bake
			t.Line = 1 + strings.Count(text[:min(t.Span.Start, len(text))], "\n")
			w.targets = append(w.targets, t)
		}
		for _, a := range b.buildArgs() {
			a.File = f
			w.args = append(w.args, a)
		}
		for _, c := range b.namedContexts() {
			c.File = f
			w.contexts = append(w.contexts, c)
		}
		for _, bd := range b.builds() {
			bd.File = f
			w.builds = append(w.builds, bd)
		}
	}
	return w
}

// readNamed reads the Bake files a --set applies through that the scan
// does not index (their names are no default Bake name), as if they lay
// where the command runs, as buildx resolves them.
func (ref *BakeRef) readNamed(src source) {
	for _, f := range ref.Files {
		if k := Classify(f); k == Bake || k == BakeJSON {
			continue
		}
		data, err := src.read(f, DefaultLimits.MaxSize)
		if err != nil || len(data) > int(DefaultLimits.MaxSize) {
			continue
		}
		cwd := ref.cwd
		if cwd == "" {
			cwd = filepath.Dir(f)
		}
		if ref.read == nil {
			ref.read = map[string]*bakeFile{}
		}
		ref.read[f] = walkBakeWith(src.root, filepath.Join(cwd, filepath.Base(f)), string(data), bakeWith{files: ref.Files, self: f}).definitions()
	}
}

// dedupe drops the repeats of a value, keeping the first.
func dedupe[T comparable](xs []T) []T {
	seen := map[T]bool{}
	return slices.DeleteFunc(xs, func(x T) bool {
		if seen[x] {
			return true
		}
		seen[x] = true
		return false
	})
}

// Extract returns the targets that the file at p (content is its text)
// names, by its kind. Other files it reads (a Compose `extends.file`) must
// lie inside root.
func Extract(root, p, content string) []Target {
	return walkFile(source{root: root}, p, content).targets
}

// RelFile is the target's file relative to the first root holding it, with
// forward slashes; the file as it is outside them.
func (t Target) RelFile(roots []string) string {
	for _, r := range roots {
		if rel, err := filepath.Rel(r, t.File); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(rel)
		}
	}
	return t.File
}

// Site describes where the target is named, for people:
// `compose.yaml:12 (service api)`.
func (t Target) Site(roots []string) string {
	return fmt.Sprintf("%s:%d (%s)", t.RelFile(roots), t.Line, t.Owner)
}

// contextFor is the build context folder a Compose or Bake file names:
// relative to that file, "." when unset; "" for a remote context (a Git
// or HTTP URL, or another target's output), which has no folder here.
func contextFor(file, context string) string {
	if strings.Contains(context, "://") || strings.HasPrefix(context, "git@") || strings.HasPrefix(context, "target:") {
		return ""
	}
	if context == "" {
		context = "."
	}
	if !filepath.IsAbs(context) {
		context = filepath.Join(filepath.Dir(file), context)
	}
	return filepath.Clean(context)
}

// dockerfileFor joins a build context and a Dockerfile name as the tools do:
// the context is relative to the file naming it, the Dockerfile to the
// context, and the default name is Dockerfile.
func dockerfileFor(file, context, dockerfile string) string {
	if context == "" {
		context = "."
	}
	if dockerfile == "" {
		dockerfile = "Dockerfile"
	}
	if filepath.IsAbs(dockerfile) {
		return filepath.Clean(dockerfile)
	}
	if !filepath.IsAbs(context) {
		context = filepath.Join(filepath.Dir(file), context)
	}
	return filepath.Clean(filepath.Join(context, dockerfile))
}
