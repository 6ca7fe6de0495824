package analysis

import (
	"encoding/json"
	"encoding/xml"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/moby/patternmatcher"
	"gopkg.in/yaml.v3"
)

// Install is a dependency install command of a RUN, as the refactorings
// and the safety checker model it: the package manager and what it reads
// from the folder it runs in.
type Install struct {
	Tool string // npm, yarn, pnpm, bun, pip, poetry, pipenv, uv, go, bundle, composer, mvn, gradle, dotnet
	// Fetch is true for an install that reads only manifests (it may run
	// before the source is copied); false for one that also builds or
	// installs the project itself (uv sync, poetry install without
	// --no-root, mvn package, gradle build, go build), which an expert
	// splits with a dependency step before the source.
	Fetch bool
	// Files are the manifests named on the command line (pip -r).
	Files []string
	Words []string
}

// RecognizeInstall reads one simple command's words as a dependency
// install or a build that reads the dependencies.
func RecognizeInstall(words []string) (Install, bool) {
	if len(words) == 0 {
		return Install{}, false
	}
	tool, rest := strings.TrimPrefix(words[0], "./"), words[1:]
	in := Install{Tool: tool, Words: words}
	sub := ""
	if p := positional(rest); len(p) > 0 {
		sub = p[0]
	}
	switch tool {
	case "npm":
		in.Fetch = (sub == "ci" || sub == "install" || sub == "i") && len(positional(rest)) == 1
	case "yarn":
		in.Fetch = len(positional(rest)) == 0 || sub == "install" && len(positional(rest)) == 1
	case "pnpm":
		in.Fetch = (sub == "install" || sub == "i" || sub == "fetch") && len(positional(rest)) == 1
	case "bun":
		in.Fetch = (sub == "install" || sub == "i") && len(positional(rest)) == 1
	case "pip", "pip3", "python", "python3":
		if tool != "pip" && tool != "pip3" {
			if len(rest) < 2 || rest[0] != "-m" || rest[1] != "pip" {
				return Install{}, false
			}
			rest = rest[2:]
		}
		in.Tool = "pip"
		files, ok := pipManifests(rest)
		if !ok {
			return Install{}, false
		}
		in.Fetch, in.Files = true, files
	case "poetry":
		if sub != "install" {
			return Install{}, false
		}
		in.Fetch = slices.Contains(rest, "--no-root") && len(positional(rest)) == 1
	case "pipenv":
		in.Fetch = sub == "install" && len(positional(rest)) == 1
	case "uv":
		if sub != "sync" {
			return Install{}, false
		}
		in.Fetch = slices.Contains(rest, "--no-install-project") || slices.Contains(rest, "--no-install-workspace")
	case "go":
		switch {
		case len(rest) >= 2 && rest[0] == "mod" && rest[1] == "download" && len(positional(rest[2:])) == 0:
			in.Fetch = true
		case sub == "build" || sub == "install" && len(positional(rest)) == 1:
		default:
			return Install{}, false
		}
	case "bundle":
		in.Fetch = sub == "install" && len(positional(rest)) == 1
	case "composer":
		in.Fetch = sub == "install" && len(positional(rest)) == 1 && (slices.Contains(rest, "--no-scripts") || slices.Contains(rest, "--no-autoloader"))
	case "mvn", "mvnw":
		in.Tool = "mvn"
		p := positional(rest)
		switch {
		case len(p) == 1 && (p[0] == "dependency:go-offline" || p[0] == "dependency:resolve"):
			in.Fetch = true
		case slices.Contains(p, "package") || slices.Contains(p, "install") || slices.Contains(p, "verify"):
		default:
			return Install{}, false
		}
	case "gradle", "gradlew":
		in.Tool = "gradle"
		p := positional(rest)
		switch {
		case len(p) == 1 && p[0] == "dependencies":
			in.Fetch = true
		case slices.ContainsFunc(p, func(task string) bool {
			// A task of the root or of one project (:app:installDist).
			task = task[strings.LastIndexByte(task, ':')+1:]
			return task == "build" || task == "bootJar" || task == "jar" || task == "installDist"
		}):
		default:
			return Install{}, false
		}
	case "dotnet":
		in.Fetch = sub == "restore"
		if !in.Fetch && sub != "publish" && sub != "build" {
			return Install{}, false
		}
	case "cargo":
		in.Fetch = sub == "fetch"
		// cargo install --path . builds the package as cargo build does
		// (and installs its binaries).
		if !in.Fetch && sub != "build" && !(sub == "install" && slices.Contains(rest, "--path")) {
			return Install{}, false
		}
	default:
		return Install{}, false
	}
	if !in.Fetch && tool != "uv" && tool != "go" && in.Tool != "mvn" && in.Tool != "gradle" && tool != "poetry" && tool != "dotnet" && tool != "cargo" {
		return Install{}, false
	}
	return in, true
}

// pipManifests returns the requirement and constraint files of a pip
// install's arguments; false for an install of anything else.
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
			// A file of the folder the install runs in, or of a folder
			// under it (requirements/prod.txt), read where it is.
			f := rest[k+1]
			if strings.ContainsAny(f, "$*?[") || path.IsAbs(f) || f != path.Clean(f) || f == ".." || strings.HasPrefix(f, "../") {
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

// runsScripts reports whether an npm, yarn or pnpm install runs a
// lifecycle script of the package.json in data (preinstall, install,
// postinstall, prepare and their pre/post forms), which may read any file
// of the source: an install that runs one cannot move above the source
// copy. `--ignore-scripts` and `pnpm fetch` run none.
func runsScripts(in Install, data []byte) bool {
	if slices.Contains(in.Words, "--ignore-scripts") || in.Tool == "pnpm" && slices.Contains(positional(in.Words[1:]), "fetch") {
		return false
	}
	var pkg struct {
		Scripts map[string]json.RawMessage `json:"scripts"`
	}
	if json.Unmarshal(data, &pkg) != nil {
		return true
	}
	for _, name := range []string{"preinstall", "install", "postinstall", "preprepare", "prepare", "postprepare"} {
		if _, ok := pkg.Scripts[name]; ok {
			return true
		}
	}
	return false
}

// pipIncludes returns the requirement and constraint files a requirements
// file includes (-r, -c, in either spelling), as written; false when it
// installs a local project or reads a local folder (-e with a path, a
// path or file: URL, --find-links to a path), which needs the source.
func pipIncludes(text string) ([]string, bool) {
	var out []string
	local := func(v string) bool {
		return !strings.Contains(v, "://") || strings.HasPrefix(v, "file:")
	}
	for _, line := range strings.Split(strings.ReplaceAll(text, "\\\n", " "), "\n") {
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		opt, val := line, ""
		if strings.HasPrefix(line, "-") {
			if k := strings.IndexAny(line, " \t="); k >= 0 {
				opt, val = line[:k], strings.TrimSpace(strings.TrimLeft(line[k:], " \t="))
			} else if len(line) > 2 && line[1] != '-' {
				opt, val = line[:2], line[2:] // -rbase.txt
			}
		}
		switch opt {
		case "-r", "--requirement", "-c", "--constraint":
			if val == "" || local(val) && strings.HasPrefix(val, "file:") || strings.Contains(val, "://") {
				return nil, false
			}
			out = append(out, val)
		case "-e", "--editable", "-f", "--find-links":
			if local(val) {
				return nil, false
			}
		default:
			if strings.HasPrefix(line, "-") {
				continue // an index or a pip option
			}
			// A requirement: a name with extras, versions and markers, or
			// a URL (name @ url); a path or file: names the local disk.
			if strings.HasPrefix(line, ".") || strings.HasPrefix(line, "/") || strings.HasPrefix(line, "file:") || strings.Contains(line, "@ file:") {
				return nil, false
			}
		}
	}
	return out, true
}

// positional drops the options (words starting with "-").
func positional(words []string) []string {
	var out []string
	for _, w := range words {
		if !strings.HasPrefix(w, "-") {
			out = append(out, w)
		}
	}
	return out
}

// appendNew appends the items list does not hold yet.
func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}

// cargoNeedsMore reports whether a Cargo.toml declares a workspace or a
// dependency by local path (or one that cannot be read as plain lines).
func cargoNeedsMore(toml string) bool {
	for _, line := range strings.Split(toml, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[workspace") || strings.Contains(line, "path") && strings.Contains(line, "=") && !strings.HasPrefix(line, "#") {
			return true
		}
	}
	return false
}

// installsFrom is installsOf without the index's memo: the script is read
// as POSIX sh, or bash when the stage's shell is bash.
func installsFrom(p *runParse) ([]Install, []SimpleCommand, bool) {
	if !p.ok || !p.rs.exact() {
		return nil, nil, false
	}
	var cmds []SimpleCommand
	var ok bool
	if p.shared() {
		// Bash, or POSIX sh parsed exactly as bash parses it.
		cmds, ok = scriptCommands(p.bash())
	} else {
		cmds, ok = ScriptCommands(p.rs.Script, false)
	}
	if !ok {
		return nil, nil, false
	}
	var out []Install
	for _, c := range cmds {
		if in, ok := RecognizeInstall(c.Words); ok {
			out = append(out, in)
		}
	}
	return out, cmds, true
}

// maxContextWalk bounds the files the manifest search visits.
const maxContextWalk = 5000

// Manifests returns the files and folders (ending in "/") of the build
// context, relative to its root dir, that install reads: the manifests,
// lockfiles and settings of its package manager, and every workspace
// member's manifest with its folder. kind names the workspace ("" for a
// single package). ok is false when the context lacks the manifest the
// install needs or uses a layout this model does not know.
func (c BuildContext) Manifests(in Install, dir string) (files []string, kind string, ok bool) {
	if c.FS == nil {
		return nil, "", false
	}
	at := func(p string) string { return path.Join(dir, p) }
	has := func(p string) bool {
		if c.Ignored(at(p)) {
			return false
		}
		_, err := fs.Stat(c.FS, at(p))
		return err == nil
	}
	add := func(ps ...string) {
		for _, p := range ps {
			if has(strings.TrimSuffix(p, "/")) {
				q := at(p)
				if strings.HasSuffix(p, "/") {
					q += "/"
				}
				files = appendNew(files, q)
			}
		}
	}
	need := func(p string) bool {
		if !has(p) {
			return false
		}
		add(p)
		return true
	}
	switch in.Tool {
	case "npm", "yarn", "pnpm", "bun":
		if !need("package.json") {
			return nil, "", false
		}
		if data, err := fs.ReadFile(c.FS, at("package.json")); err != nil || runsScripts(in, data) {
			return nil, "", false // an install script may read any file
		}
		add("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb", "bunfig.toml", ".npmrc", ".yarnrc", ".yarnrc.yml", ".yarn/releases/", ".yarn/plugins/", ".yarn/patches/", "patches/")
		var patterns []string
		if in.Tool == "pnpm" && has("pnpm-workspace.yaml") {
			add("pnpm-workspace.yaml")
			var ws struct {
				Packages []string `yaml:"packages"`
			}
			if data, err := fs.ReadFile(c.FS, at("pnpm-workspace.yaml")); err != nil || yaml.Unmarshal(data, &ws) != nil {
				return nil, "", false
			}
			patterns, kind = ws.Packages, "pnpm workspace"
		} else if data, err := fs.ReadFile(c.FS, at("package.json")); err == nil {
			var pkg struct {
				Workspaces json.RawMessage `json:"workspaces"`
			}
			if json.Unmarshal(data, &pkg) != nil {
				return nil, "", false
			}
			if len(pkg.Workspaces) > 0 {
				var list []string
				var obj struct {
					Packages []string `json:"packages"`
				}
				if json.Unmarshal(pkg.Workspaces, &list) != nil {
					if json.Unmarshal(pkg.Workspaces, &obj) != nil {
						return nil, "", false
					}
					list = obj.Packages
				}
				patterns, kind = list, in.Tool+" workspaces"
			}
		}
		if kind != "" {
			members, ok := c.members(dir, patterns, "package.json")
			if !ok {
				return nil, "", false
			}
			for _, m := range members {
				if data, err := fs.ReadFile(c.FS, path.Join(m, "package.json")); err != nil || runsScripts(in, data) {
					return nil, "", false
				}
				files = appendNew(files, path.Join(m, "package.json"))
			}
		}
	case "pip":
		for _, f := range in.Files {
			if !need(f) {
				return nil, "", false
			}
		}
		// The files they include (-r, -c), relative to the including file;
		// a local project (-e ., ./pkg, file:) needs the source.
		for k := 0; k < len(files); k++ {
			if k >= 50 {
				return nil, "", false
			}
			data, err := fs.ReadFile(c.FS, files[k])
			if err != nil {
				return nil, "", false
			}
			nested, ok := pipIncludes(string(data))
			if !ok {
				return nil, "", false
			}
			for _, f := range nested {
				q := path.Join(path.Dir(files[k]), f)
				if strings.HasPrefix(q, "../") || c.Ignored(q) {
					return nil, "", false
				}
				if _, err := fs.Stat(c.FS, q); err != nil {
					return nil, "", false
				}
				files = appendNew(files, q)
			}
		}
	case "poetry":
		if !need("pyproject.toml") {
			return nil, "", false
		}
		add("poetry.lock", "poetry.toml")
	case "pipenv":
		if !need("Pipfile") {
			return nil, "", false
		}
		add("Pipfile.lock")
	case "uv":
		if !need("pyproject.toml") {
			return nil, "", false
		}
		add("uv.lock", ".python-version", "uv.toml")
		data, _ := fs.ReadFile(c.FS, at("pyproject.toml"))
		if members := tomlArray(string(data), "tool.uv.workspace", "members"); members != nil {
			kind = "uv workspace"
			dirs, ok := c.members(dir, members, "pyproject.toml")
			if !ok {
				return nil, "", false
			}
			for _, m := range dirs {
				files = appendNew(files, path.Join(m, "pyproject.toml"))
			}
		}
	case "go":
		if has("go.work") {
			kind = "Go workspace"
			add("go.work", "go.work.sum")
			data, _ := fs.ReadFile(c.FS, at("go.work"))
			for _, u := range goWorkUses(string(data)) {
				m := path.Join(dir, u)
				if strings.HasPrefix(m, "../") || !has(path.Join(u, "go.mod")) {
					return nil, "", false
				}
				files = appendNew(files, path.Join(m, "go.mod"))
				if has(path.Join(u, "go.sum")) {
					files = appendNew(files, path.Join(m, "go.sum"))
				}
			}
			break
		}
		if !need("go.mod") || !in.Fetch && has("vendor/modules.txt") {
			return nil, "", false // a vendored build reads no module cache
		}
		add("go.sum")
		data, _ := fs.ReadFile(c.FS, at("go.mod"))
		if strings.Contains(string(data), "replace") {
			return nil, "", false // a local replace needs its folder
		}
	case "cargo":
		// One package: a workspace, or a dependency by local path, needs
		// other folders' manifests and sources (cargo-chef's job).
		data, err := fs.ReadFile(c.FS, at("Cargo.toml"))
		if err != nil || c.Ignored(at("Cargo.toml")) || cargoNeedsMore(string(data)) {
			return nil, "", false
		}
		add("Cargo.toml", "Cargo.lock", "rust-toolchain.toml", "rust-toolchain", ".cargo/")
	case "bundle":
		if !need("Gemfile") {
			return nil, "", false
		}
		// Bundler reads the application's settings (BUNDLE_PATH,
		// BUNDLE_WITHOUT, ...) from .bundle/config.
		add("Gemfile.lock", ".bundle/config")
	case "composer":
		if !need("composer.json") {
			return nil, "", false
		}
		add("composer.lock")
	case "mvn":
		if !need("pom.xml") {
			return nil, "", false
		}
		add(".mvn/", "mvnw")
		mods, ok := c.mavenModules(dir, "")
		if !ok {
			return nil, "", false
		}
		if len(mods) > 0 {
			kind = "Maven modules"
		}
		for _, m := range mods {
			files = appendNew(files, path.Join(dir, m, "pom.xml"))
		}
	case "gradle":
		settings := ""
		for _, s := range []string{"settings.gradle.kts", "settings.gradle"} {
			if need(s) {
				settings = s
			}
		}
		build := false
		for _, b := range []string{"build.gradle.kts", "build.gradle"} {
			build = need(b) || build
		}
		if !build && settings == "" {
			return nil, "", false
		}
		add("gradle.properties", "gradle/", "gradlew", "buildSrc/")
		if settings != "" {
			data, _ := fs.ReadFile(c.FS, at(settings))
			projects := gradleIncludes(string(data))
			if len(projects) > 0 {
				kind = "Gradle multi-project"
			}
			for _, p := range projects {
				found := false
				for _, b := range []string{"build.gradle.kts", "build.gradle"} {
					if has(path.Join(p, b)) {
						files, found = appendNew(files, path.Join(dir, p, b)), true
					}
				}
				if !found && !has(p) {
					return nil, "", false
				}
			}
		}
	case "dotnet":
		projects, ok := c.walkFind(dir, func(name string) bool {
			return strings.HasSuffix(name, ".csproj") || strings.HasSuffix(name, ".fsproj") || strings.HasSuffix(name, ".vbproj") || strings.HasSuffix(name, ".sln") || strings.HasSuffix(name, ".slnx") ||
				name == "Directory.Build.props" || name == "Directory.Packages.props" || name == "Directory.Build.targets" || strings.EqualFold(name, "nuget.config") || name == "global.json"
		})
		if !ok || !slices.ContainsFunc(projects, func(p string) bool { return strings.HasSuffix(p, "proj") }) {
			return nil, "", false
		}
		if len(slices.DeleteFunc(slices.Clone(projects), func(p string) bool { return !strings.HasSuffix(p, "proj") })) > 1 {
			kind = ".NET solution"
		}
		for _, p := range projects {
			files = appendNew(files, p)
		}
	default:
		return nil, "", false
	}
	return files, kind, true
}

// members returns the workspace member folders (relative to the context)
// that the patterns name and that hold manifest.
func (c BuildContext) members(dir string, patterns []string, manifest string) ([]string, bool) {
	var out []string
	var negated []string
	for _, p := range patterns {
		if neg, ok := strings.CutPrefix(p, "!"); ok {
			negated = append(negated, path.Clean(neg))
		}
	}
	for _, p := range patterns {
		if strings.HasPrefix(p, "!") {
			continue
		}
		p = path.Clean(strings.TrimPrefix(p, "./"))
		if strings.HasPrefix(p, "../") || strings.Contains(p, "$") {
			return nil, false
		}
		var found []string
		if strings.Contains(p, "**") {
			root, _, _ := strings.Cut(p, "**")
			hits, ok := c.walkFind(path.Join(dir, root), func(name string) bool { return name == manifest })
			if !ok {
				return nil, false
			}
			for _, h := range hits {
				found = append(found, path.Dir(h))
			}
		} else {
			hits, err := fs.Glob(c.FS, path.Join(dir, p, manifest))
			if err != nil {
				return nil, false
			}
			for _, h := range hits {
				found = append(found, path.Dir(h))
			}
		}
		for _, f := range found {
			rel := strings.TrimPrefix(strings.TrimPrefix(f, dir), "/")
			skip := c.Ignored(path.Join(f, manifest)) || f == path.Clean(dir)
			for _, n := range negated {
				if ok, _ := path.Match(n, rel); ok || strings.Contains(n, "**") && strings.Contains(rel, strings.Trim(strings.ReplaceAll(n, "**", ""), "/")) {
					skip = true
				}
			}
			if !skip {
				out = appendNew(out, f)
			}
		}
	}
	slices.Sort(out)
	return out, true
}

// walkFind returns the files under dir whose base name match accepts,
// skipping node_modules, .git and ignored paths; ok is false past the
// walk budget.
func (c BuildContext) walkFind(dir string, match func(string) bool) ([]string, bool) {
	if dir == "" {
		dir = "."
	}
	var out []string
	seen := 0
	err := fs.WalkDir(c.FS, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if seen++; seen > maxContextWalk {
			return fs.ErrInvalid
		}
		if d.IsDir() {
			if p != dir && (d.Name() == "node_modules" || d.Name() == ".git" || d.Name() == "bin" || d.Name() == "obj" || c.Ignored(p)) {
				return fs.SkipDir
			}
			return nil
		}
		if match(d.Name()) && !c.Ignored(p) {
			out = append(out, p)
		}
		return nil
	})
	return out, err == nil
}

// MavenReactorDeps reports whether a module of the Maven build in dir (a
// dependency, or a plugin's) is another module of it, matched by
// artifactId: dependency:go-offline before maven-dependency-plugin 3.1.2
// (MDEP-204), which Maven up to 3.9.2 runs for the dependency: prefix,
// tries to download it and fails.
func (c BuildContext) MavenReactorDeps(dir string) bool {
	if c.FS == nil {
		return false
	}
	mods, ok := c.mavenModules(dir, "")
	if !ok {
		return false
	}
	type dep struct {
		ArtifactID string `xml:"artifactId"`
	}
	ids := map[string]bool{}
	var deps []dep
	for _, m := range append([]string{""}, mods...) {
		data, err := fs.ReadFile(c.FS, path.Join(dir, m, "pom.xml"))
		if err != nil {
			continue
		}
		var pom struct {
			ArtifactID string `xml:"artifactId"`
			Deps       []dep  `xml:"dependencies>dependency"`
			Plugins    []struct {
				Deps []dep `xml:"dependencies>dependency"`
			} `xml:"build>plugins>plugin"`
		}
		if xml.Unmarshal(data, &pom) != nil {
			continue
		}
		ids[strings.TrimSpace(pom.ArtifactID)] = true
		deps = append(deps, pom.Deps...)
		for _, p := range pom.Plugins {
			deps = append(deps, p.Deps...)
		}
	}
	for _, d := range deps {
		if ids[strings.TrimSpace(d.ArtifactID)] {
			return true
		}
	}
	return false
}

// mavenModules returns the module folders of the pom.xml in dir/sub, and
// theirs, relative to dir.
func (c BuildContext) mavenModules(dir, sub string) ([]string, bool) {
	data, err := fs.ReadFile(c.FS, path.Join(dir, sub, "pom.xml"))
	if err != nil {
		return nil, false
	}
	var pom struct {
		Modules  []string `xml:"modules>module"`
		Profiles []struct {
			Modules []string `xml:"modules>module"`
		} `xml:"profiles>profile"`
	}
	if xml.Unmarshal(data, &pom) != nil {
		return nil, false
	}
	for _, p := range pom.Profiles {
		if len(p.Modules) > 0 {
			return nil, false // which modules build depends on the profile
		}
	}
	var out []string
	for _, m := range pom.Modules {
		m = path.Join(sub, strings.TrimSpace(m))
		if strings.HasPrefix(m, "../") || strings.HasSuffix(m, ".xml") || len(out) > 200 {
			return nil, false
		}
		out = append(out, m)
		more, ok := c.mavenModules(dir, m)
		if !ok {
			return nil, false
		}
		out = append(out, more...)
	}
	return out, true
}

// gradleIncludes returns the project folders a settings file includes:
// include("a", ":b:c") or include 'a', 'b'; ":b:c" is b/c.
// GradleProjects returns the Gradle project paths (":app", ":libs:core")
// that the settings file in dir includes; false when there is none, or the
// settings move a project's folder or include another build, whose tasks
// the paths would not name.
func (c BuildContext) GradleProjects(dir string) ([]string, bool) {
	if c.FS == nil {
		return nil, false
	}
	for _, name := range []string{"settings.gradle.kts", "settings.gradle"} {
		data, err := fs.ReadFile(c.FS, path.Join(dir, name))
		if err != nil {
			continue
		}
		text := string(data)
		if strings.Contains(text, "projectDir") || strings.Contains(text, "includeBuild") || strings.Contains(text, "$") {
			return nil, false
		}
		var out []string
		for _, p := range gradleIncludes(text) {
			out = append(out, ":"+strings.ReplaceAll(p, "/", ":"))
		}
		return out, len(out) > 0
	}
	return nil, false
}

func gradleIncludes(settings string) []string {
	var out []string
	for _, line := range strings.Split(settings, "\n") {
		line = strings.TrimSpace(line)
		rest, ok := strings.CutPrefix(line, "include")
		if !ok || rest == "" || rest[0] != '(' && rest[0] != ' ' && rest[0] != '\t' {
			continue
		}
		for _, q := range []byte{'"', '\''} {
			parts := strings.Split(rest, string(q))
			for k := 1; k < len(parts); k += 2 {
				p := strings.Trim(parts[k], ":")
				if p != "" {
					out = appendNew(out, strings.ReplaceAll(p, ":", "/"))
				}
			}
		}
	}
	return out
}

// goWorkUses returns the folders a go.work file uses.
func goWorkUses(work string) []string {
	var out []string
	block := false
	for _, line := range strings.Split(work, "\n") {
		line, _, _ = strings.Cut(line, "//")
		line = strings.TrimSpace(line)
		switch {
		case block && line == ")":
			block = false
		case block && line != "":
			out = append(out, strings.Trim(line, `"`))
		case line == "use (":
			block = true
		case strings.HasPrefix(line, "use "):
			out = append(out, strings.Trim(strings.TrimSpace(strings.TrimPrefix(line, "use ")), `"`))
		}
	}
	return out
}

// tomlArray returns the string array key of table in a TOML document, or
// nil: enough of TOML for workspace member lists.
func tomlArray(doc, table, key string) []string {
	in := false
	var val strings.Builder
	collecting := false
	for _, line := range strings.Split(doc, "\n") {
		t := strings.TrimSpace(line)
		if collecting {
			val.WriteString(t)
			if strings.Contains(t, "]") {
				break
			}
			continue
		}
		if strings.HasPrefix(t, "[") {
			in = strings.Trim(t, "[] ") == table
			continue
		}
		if k, v, ok := strings.Cut(t, "="); in && ok && strings.TrimSpace(k) == key {
			val.WriteString(strings.TrimSpace(v))
			if strings.Contains(v, "]") {
				break
			}
			collecting = true
		}
	}
	s := val.String()
	if !strings.HasPrefix(s, "[") {
		return nil
	}
	var out []string
	for _, part := range strings.Split(strings.Trim(s, "[]"), ",") {
		part = strings.TrimSpace(part)
		if part = strings.Trim(part, `"'`); part != "" {
			out = append(out, part)
		}
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// SystemCommand recognises a system package manager command that reads no
// file of the build context.
func SystemCommand(seg []string) bool {
	for len(seg) > 0 && strings.Contains(seg[0], "=") && !strings.HasPrefix(seg[0], "-") {
		seg = seg[1:] // NAME=value words before the command
	}
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

// RunKinds reports whether RUN i installs dependencies with a language
// package manager, and whether it installs system packages.
func RunKinds(ix *Index, i int) (deps, system bool) {
	ins, cmds, _ := ix.installsOf(i)
	for _, in := range ins {
		deps = deps || in.Fetch
	}
	for _, c := range cmds {
		if len(c.Words) > 0 && SystemCommand(c.Words) && c.Words[0] != "set" && c.Words[0] != "rm" {
			system = true
		}
	}
	return deps, system
}

// InstallTool is a package manager a RUN runs, with the command's words.
type InstallTool struct {
	Name  string
	Words []string
}

// Has reports whether the install command has the word w.
func (in Install) Has(w string) bool { return slices.Contains(in.Words, w) }

// Operands returns the install command's words after the program that
// are not options.
func (in Install) Operands() []string { return positional(in.Words[1:]) }

// Has reports whether the command has the word w.
func (t InstallTool) Has(w string) bool { return slices.Contains(t.Words, w) }

// InstallTools returns the package managers RUN i installs dependencies
// or builds with, one entry per tool, read with a shell parser.
func InstallTools(ix *Index, i int) []InstallTool {
	if ix.Node(i).Cmd != "run" {
		return nil
	}
	ins, _, _ := ix.installsOf(i)
	var out []InstallTool
	for _, in := range ins {
		if !slices.ContainsFunc(out, func(t InstallTool) bool { return t.Name == in.Tool }) {
			out = append(out, InstallTool{Name: in.Tool, Words: in.Words})
		}
	}
	return out
}

// CommandNames returns the program of each simple command of RUN i.
func CommandNames(ix *Index, i int) []string {
	if ix.Node(i).Cmd != "run" {
		return nil
	}
	_, cmds, _ := ix.installsOf(i)
	var out []string
	for _, c := range cmds {
		if len(c.Words) > 0 {
			out = append(out, c.Words[0])
		}
	}
	return out
}

// RunCommands returns the simple commands of RUN i, read with a shell
// parser; ok is false when the script is more than simple commands.
func RunCommands(ix *Index, i int) ([]SimpleCommand, bool) {
	if ix.Node(i).Cmd != "run" {
		return nil, false
	}
	_, cmds, ok := ix.installsOf(i)
	return cmds, ok
}

// Installs returns the dependency installs of RUN i, read with a shell
// parser.
func Installs(ix *Index, i int) []Install {
	ins, _, _ := ix.installsOf(i)
	return ins
}

// AbsDest is the absolute folder a COPY at instruction c writes dest to,
// or "" when a variable or the base image decides it.
func AbsDest(ix *Index, c int, dest string) string {
	if strings.Contains(dest, "$") {
		return ""
	}
	if strings.HasPrefix(dest, "/") {
		return path.Clean(dest)
	}
	wd := ix.Model().State(c).Workdir
	if wd == "" {
		return ""
	}
	return path.Join(wd, dest)
}

// ContextPath turns a COPY source into a path relative to the build
// context, or reports that it names no file of the context.
func ContextPath(src string) (string, bool) { return contextPath(src) }

// CopyExcludes returns the patterns of a COPY or ADD's --exclude flags.
func CopyExcludes(n Node) []string {
	var out []string
	for _, f := range n.Flags {
		if f.Name.Value == "exclude" && f.Value.Value != "" {
			out = append(out, f.Value.Value)
		}
	}
	return out
}

// Excluded reports whether a copy with the --exclude patterns leaves out
// rel, a path relative to the copied source, as BuildKit matches them
// (.dockerignore syntax, a parent folder's match counting). An unreadable
// pattern excludes everything: the caller then assumes the worst.
func Excluded(patterns []string, rel string) bool {
	if len(patterns) == 0 {
		return false
	}
	m, err := patternmatcher.New(patterns)
	if err != nil {
		return true
	}
	ok, err := m.MatchesOrParentMatches(rel)
	return ok || err != nil
}
