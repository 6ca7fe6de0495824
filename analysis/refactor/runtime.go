package refactor

import (
	"context"
	"encoding/json"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// artifact is what a runtime stage copies from the builder.
type artifact struct{ src, dst string }

// RuntimePlan is one way to split the final stage into a builder and a
// runtime stage.
type RuntimePlan struct {
	reserved  []string // names the builder must not take (PlanRuntime)
	Ecosystem string   // Go, .NET, Java, Node, Python, static site
	Bases     []string // runtime bases, most fitting first
	// Changes says what the runtime does differently, for the title and a
	// comment in the runtime stage.
	Changes string
	// Certs lists bases that get the builder's CA certificates copied.
	Certs map[string]bool
	// Prune is the builder's last step that drops development
	// dependencies (Node), "" for none.
	Prune string
	// Venv, for Python, is the virtual environment the builder installs
	// into (before the RUN at venvAt) and the runtime copies.
	Venv   string
	venvAt int

	shellLess map[string]bool
	copies    []artifact
	// crossBuilt is set when the final stage has a --platform and builds
	// for the target platform (reads TARGETOS, TARGETARCH, ...): the
	// runtime is then of the target platform, which the title says.
	crossBuilt bool
	static     *staticSite // a static site: nginx serves it; no command is carried
	// needsShell and users are what the final stage's runtime needs of a
	// base: a shell or /etc/passwd, and the users it names.
	needsShell bool
	users      []string
}

// imageFree reports whether the runtime bases fit whatever image the
// builder is: a static Go binary, a static site.
func (p *RuntimePlan) imageFree() bool {
	return p.static != nil || p.Ecosystem == "Go" && p.Certs != nil
}

// Fits reports whether the runtime base has what the final stage needs:
// a shell where the image's command needs one, and every user it names.
func (p *RuntimePlan) Fits(base string) bool {
	return !(p.shellLess[base] && p.needsShell) && usersExist(base, p.users)
}

// staticSite is how the original served its build output.
type staticSite struct {
	dir    string
	port   string
	single bool   // unknown paths answered with index.html (serve -s)
	server string // the command it replaces, for the comment
}

// needsShell reports whether the final stage's runtime needs a shell or
// /etc/passwd, which scratch and distroless images lack.
func needsShell(ix *analysis.Index, s int) bool {
	st := ix.Stage(s)
	for i := st.First + 1; i < st.End; i++ {
		n := ix.Node(i)
		switch n.Cmd {
		case "cmd", "entrypoint":
			if !n.JSON {
				return true
			}
		case "healthcheck":
			// HEALTHCHECK CMD ["/bin/server", "-health"] runs without a
			// shell; the shell form (and CMD-SHELL) needs one.
			if len(n.Args) > 0 && !strings.EqualFold(n.Args[0].Value, "none") && (len(n.Args) < 2 || !strings.HasPrefix(n.Args[1].Value, "[") || strings.Contains(n.Args[1].Value, "CMD-SHELL")) {
				return true
			}
		}
	}
	return false
}

// knownWorkdir turns the model's working directory into "" for the base
// image's own and "?" for one the model does not know.
func knownWorkdir(w string) string {
	switch {
	case w == analysis.BaseWorkdir:
		return ""
	case w == "" || strings.HasPrefix(w, analysis.BaseWorkdir):
		return "?"
	}
	return w
}

// namedUsers returns the users the final stage's USER instructions name
// rather than number.
func namedUsers(ix *analysis.Index, s int) []string {
	var out []string
	st := ix.Stage(s)
	for i := st.First + 1; i < st.End; i++ {
		if n := ix.Node(i); n.Cmd == "user" && len(n.Args) > 0 {
			u, _, _ := strings.Cut(n.Args[0].Value, ":")
			if strings.Trim(u, "0123456789") != "" {
				out = append(out, u)
			}
		}
	}
	return out
}

// usersExist reports whether the runtime base surely has every named
// user: a user the builder created with RUN would be missing.
func usersExist(base string, users []string) bool {
	for _, u := range users {
		ok := u == "root" || u == "nobody" && base != "scratch"
		switch {
		case strings.HasPrefix(base, "gcr.io/distroless/"):
			ok = ok || u == "nonroot"
		case strings.HasPrefix(base, "node:"):
			ok = ok || u == "node"
		case strings.HasPrefix(base, "oven/bun:"):
			ok = ok || u == "bun"
		case strings.HasPrefix(base, "mcr.microsoft.com/dotnet/"):
			ok = ok || u == "app"
		}
		if !ok || base == "scratch" {
			return false
		}
	}
	return true
}

var javaVersion = regexp.MustCompile(`(?:temurin|openjdk|jdk|java|corretto)-?(\d+)`)

// PlanRuntime finds the final stage s's ecosystem and artifact, or returns
// nil and why not; it gives up when ctx is cancelled. bctx is the build
// context (FS nil when unknown): what the stage copies from it tells the
// project's tools (Yarn 2+ by its package.json, .yarnrc.yml, yarn.lock).
func PlanRuntime(ctx context.Context, ix *analysis.Index, s int, bctx analysis.BuildContext, reserved ...string) (*RuntimePlan, string) {
	p, reason := planRuntime(ctx, ix, s, bctx)
	if p != nil {
		p.reserved = reserved
	}
	if base := ix.Stage(s).Base; p != nil && strings.Contains(base, "$") && !p.imageFree() {
		// The runtime base is picked for the builder image (its version,
		// its C library): a fixed one would not follow --build-arg.
		v, _ := ix.Model().Expand(ix.Stage(s).First, base)
		return nil, "the final stage is built FROM " + base + " (" + v + " by default): a " + p.Ecosystem + " runtime base must match the builder image, which a build argument may change"
	}
	if p != nil && p.static == nil {
		if why := commandMisses(ix, s, p); why != "" {
			return nil, why
		}
	}
	if p != nil {
		// A base spelled like a stage of the file builds on that stage
		// (FROM scratch after FROM busybox AS scratch: dockerfile2llb
		// looks the base up among the stages first), not on the image the
		// title names.
		p.Bases = slices.DeleteFunc(p.Bases, func(b string) bool { return ix.StageByName(b) >= 0 })
		if len(p.Bases) == 0 {
			return nil, "every runtime base is spelled like a stage of this file"
		}
		p.needsShell, p.users = needsShell(ix, s), namedUsers(ix, s)
		if setsOwners(ix, s) {
			// COPY --from keeps a copied file's owner, but a folder it
			// creates, like the one WORKDIR creates, belongs to root.
			p.Changes = joinChanges(p.Changes, "copied files keep the builder's owners, their folders are root's")
		}
		if f := ix.Node(ix.Stage(s).First).Flag("platform"); f != nil && f.HasValue && readsTargetPlatform(ix, s) {
			p.crossBuilt = true
			p.Changes = joinChanges(p.Changes, "the runtime is of the target platform, not --platform="+f.Value.Value)
		}
		// What apt-get or apk installed (tzdata, a shared library, a tool
		// the command runs) is in the builder only, whatever the ecosystem.
		if p.static == nil && systemPackages(ix, s) && !strings.Contains(p.Changes, "system package manager") {
			p.Changes = joinChanges(p.Changes, "packages the builder installs with its system package manager stay in the builder")
		}
		// The runtime keeps the SHELL, and a shell-form command needs its
		// program there: only sh is in every base with a shell.
		if sh := ix.Model().EndState(s).Shell; p.needsShell && len(sh) > 0 && path.Base(sh[0]) != "sh" {
			return nil, "the image's command runs under SHELL " + sh[0] + ", which a runtime image may lack"
		}
	}
	return p, reason
}

// setsOwners reports whether stage s gives files an owner: a COPY or ADD
// with --chown, or a RUN that runs chown.
func setsOwners(ix *analysis.Index, s int) bool {
	st := ix.Stage(s)
	for i := st.First + 1; i < st.End; i++ {
		n := ix.Node(i)
		switch n.Cmd {
		case "copy", "add":
			for _, f := range n.Flags {
				if f.Name.Value == "chown" {
					return true
				}
			}
		case "run":
			cmds, ok := analysis.RunCommands(ix, i)
			if !ok {
				// A script the shell parser cannot read may chown too.
				if strings.Contains(ix.Doc.Slice(n.Span()), "chown") {
					return true
				}
				continue
			}
			for _, c := range cmds {
				if len(c.Words) > 0 && path.Base(c.Words[0]) == "chown" {
					return true
				}
			}
		}
	}
	return false
}

// joinChanges adds one more change to a plan's list of them.
func joinChanges(changes, more string) string {
	if changes == "" {
		return more
	}
	return changes + "; " + more
}

// planRuntime is PlanRuntime without what the bases must have.
func planRuntime(ctx context.Context, ix *analysis.Index, s int, bctx analysis.BuildContext) (*RuntimePlan, string) {
	st := ix.Stage(s)
	if st.BaseStage >= 0 || st.Base == "" || ix.Model().BaseOf(s) >= 0 {
		return nil, "the final stage is not built on a named image"
	}
	image := strings.ToLower(st.Base)
	if strings.Contains(st.Base, "$") {
		// FROM ${BASE}: the builder keeps it; the plan is made for the
		// image the ARGs' defaults give, and kept only where the runtime
		// does not depend on which image that is (argBased).
		v, ok := ix.Model().Expand(st.First, st.Base)
		if !ok || v == "" || strings.Contains(v, "$") {
			return nil, "the final stage is built FROM " + st.Base + ", whose default names no image"
		}
		image = strings.ToLower(v)
	}
	repo, tag, _ := strings.Cut(path.Base(image), ":")
	version, _, _ := strings.Cut(tag, "-")
	m := ix.Model()
	workdir := knownWorkdir(m.EndState(s).Workdir)
	static := false
	missed := "" // why an artifact found was not taken
	var cmdWords []string
	for i := st.First + 1; i < st.End; i++ {
		n := ix.Node(i)
		switch n.Cmd {
		case "cmd", "entrypoint":
			for _, a := range n.Args {
				cmdWords = append(cmdWords, strings.Fields(a.Value)...)
			}
		}
	}
	abs := func(wd, p string) string {
		if p == "" || strings.Contains(p, "$") {
			return ""
		}
		if strings.HasPrefix(p, "/") {
			return path.Clean(p)
		}
		if wd == "" || wd == "?" {
			return ""
		}
		return path.Join(wd, p)
	}
	for i := st.First + 1; i < st.End; i++ {
		n := ix.Node(i)
		if n.Cmd != "run" || n.JSON {
			continue
		}
		if ctx.Err() != nil {
			return nil, "cancelled"
		}
		// The working directory and ENV as the RUN sees them.
		state := m.State(i)
		wd := knownWorkdir(state.Workdir)
		if v, _ := state.Var("CGO_ENABLED"); v == "0" {
			static = true
		}
		// The script's commands, read with a shell parser, as one word list.
		cmds, ok := analysis.RunCommands(ix, i)
		if !ok {
			continue
		}
		var words []string
		for _, c := range cmds {
			words = append(append(words, c.Assigns...), c.Words...)
		}
		if len(words) == 0 {
			continue
		}
		runWD := wd
		if slices.Contains(words, "cd") {
			runWD = "?"
		}
		static = static || slices.Contains(words, "CGO_ENABLED=0")
		switch {
		case hasSeq(words, "go", "build"):
			out := abs(runWD, flagValue(words, "-o"))
			if out == "" {
				continue
			}
			p := &RuntimePlan{Ecosystem: "Go", copies: []artifact{{out, out}}, shellLess: map[string]bool{}}
			if static {
				// distroless/static has CA certificates (and tzdata); scratch
				// gets the builder's, so HTTPS clients keep working.
				p.Bases = []string{"gcr.io/distroless/static-debian12", "scratch", "alpine:3"}
				p.shellLess["scratch"], p.shellLess["gcr.io/distroless/static-debian12"] = true, true
				p.Certs = map[string]bool{"scratch": true}
			} else {
				p.Bases = []string{"gcr.io/distroless/base-debian12", "debian:bookworm-slim"}
				if strings.Contains(tag, "alpine") {
					p.Bases[1] = "alpine:3"
				}
				p.shellLess["gcr.io/distroless/base-debian12"] = true
			}
			return p, ""
		case hasSeq(words, "dotnet", "publish"):
			out := flagValue(words, "-o")
			if out == "" {
				out = flagValue(words, "--output")
			}
			out = abs(runWD, out)
			if out == "" || !strings.Contains(image, "/sdk:") {
				continue
			}
			return &RuntimePlan{Ecosystem: ".NET", copies: []artifact{{out, out}}, Bases: []string{
				strings.Replace(image, "/sdk:", "/aspnet:", 1), strings.Replace(image, "/sdk:", "/runtime:", 1),
			}}, ""
		case isTool(words[0], "mvn") && (slices.Contains(words, "package") || slices.Contains(words, "install") || slices.Contains(words, "verify")),
			isTool(words[0], "gradle") && (slices.Contains(words, "build") || slices.Contains(words, "bootJar") || slices.Contains(words, "jar")):
			dir := "target"
			if isTool(words[0], "gradle") {
				dir = "build/libs"
			}
			m := javaVersion.FindStringSubmatch(tag)
			out := abs(runWD, dir)
			if m == nil || out == "" {
				continue
			}
			// The runtime copies the jars of the folder the image's
			// command runs one from: a module's (app/target in a
			// multi-module build), never a guess the command does not
			// name (java -jar /app.jar after a cp, mvn spring-boot:run).
			jar := ""
			for _, w := range cmdWords {
				if strings.HasSuffix(w, ".jar") {
					jar = abs(workdir, w)
				}
			}
			if jar == "" || !(path.Dir(jar) == out || strings.HasPrefix(jar, runWD+"/") && strings.HasSuffix(path.Dir(jar), "/"+dir)) {
				missed = words[0] + " builds jars in " + out + " (or a module's " + dir + "), but the image's command runs no jar from there"
				continue
			}
			out = path.Dir(jar)
			return &RuntimePlan{Ecosystem: "Java", copies: []artifact{{out + "/*.jar", out + "/"}}, Bases: []string{
				"eclipse-temurin:" + m[1] + "-jre", "eclipse-temurin:" + m[1] + "-jre-alpine",
			}}, ""
		case (words[0] == "npm" || words[0] == "pnpm" || words[0] == "bun") && hasSeq(words, "run", "build") || hasSeq(words, "yarn", "build"):
			// bun builds on bun's image (oven/bun), the others on node's.
			if runWD == "" || runWD == "?" || (repo == "bun") != (words[0] == "bun") || repo != "node" && repo != "bun" {
				continue
			}
			if site := servedSite(cmdWords); site != nil {
				if site.dir == "" {
					continue
				}
				out := path.Join(runWD, site.dir)
				changes := "nginx instead of " + site.server + " on port " + site.port
				if site.single {
					changes += ", unknown paths answered with index.html as before"
				}
				return &RuntimePlan{Ecosystem: "static site", static: site, Bases: []string{"nginx:alpine"}, Changes: changes,
					copies: []artifact{{out + "/", "/usr/share/nginx/html/"}}}, ""
			}
			dir := ""
			for _, w := range cmdWords {
				for _, d := range []string{"dist", "build", "out"} {
					if w == d || strings.HasPrefix(w, d+"/") || strings.HasPrefix(w, "./"+d) {
						dir = d
					}
				}
			}
			if dir == "" {
				continue
			}
			out := path.Join(runWD, dir)
			// node_modules may hold native modules built for the builder's C
			// library: the runtime keeps it (musl on alpine, glibc otherwise).
			nodeBase := imageVariant(repo, version, "slim")
			if strings.Contains(tag, "alpine") {
				nodeBase = imageVariant(repo, version, "alpine")
			}
			prune, eco, changes := "npm prune --omit=dev", "Node", "dev dependencies pruned"
			switch words[0] {
			case "bun":
				// bun has no prune, and bun install --production leaves an
				// existing node_modules as it is: they stay, and the title
				// says so. The runtime is bun's own image, same C library.
				prune, eco, changes = "", "Bun", "dev dependencies kept, bun has no prune"
				nodeBase = strings.TrimSuffix(image, path.Base(image)) + nodeBase
			case "pnpm":
				prune = "pnpm prune --prod"
			case "yarn":
				if why := YarnBerry(ix, s, runWD, bctx); why != "" {
					missed = "the stage uses Yarn 2 or later (" + why + "): its install has no --production to drop the dev dependencies with, and Plug'n'Play keeps no node_modules to copy"
					continue
				}
				prune = "yarn install --production --frozen-lockfile --ignore-scripts --prefer-offline"
			}
			return &RuntimePlan{Ecosystem: eco, Bases: []string{nodeBase}, Prune: prune, Changes: changes,
				copies: []artifact{
					{path.Join(runWD, "package.json"), path.Join(runWD, "package.json")},
					{path.Join(runWD, "node_modules") + "/", path.Join(runWD, "node_modules") + "/"},
					{out + "/", out + "/"},
				}}, ""
		case (words[0] == "pip" || words[0] == "pip3") && slices.Contains(words, "install") && slices.Contains(words, "-r") && !slices.Contains(words, "--user") && !slices.Contains(words, "--target") && !slices.Contains(words, "--prefix"):
			if workdir == "" || workdir == "?" || repo != "python" || strings.Contains(tag, "slim") || strings.Contains(tag, "alpine") {
				continue
			}
			venv, at, changes := "/opt/venv", i, "dependencies in a virtual environment at /opt/venv"
			if u, _, _ := strings.Cut(state.User, ":"); at >= 0 && existingVenv(ix, s, i) == "" && u != "" && u != "root" && u != "0" {
				// The virtual environment would be made as that user in
				// /opt, which only root may write.
				missed = "pip runs as user " + u + ", who cannot make a virtual environment in /opt"
				continue
			}
			if v := existingVenv(ix, s, i); v != "" {
				// The stage installs into its own virtual environment
				// already (ENV VIRTUAL_ENV, RUN python -m venv, ENV PATH):
				// the runtime copies that one, with the ENV it carries.
				venv, at, changes = v, -1, "dependencies in the builder's virtual environment at "+v
			}
			if systemPackages(ix, s) {
				changes += "; packages the builder installs with its system package manager stay in the builder"
			}
			return &RuntimePlan{Ecosystem: "Python", Bases: []string{imageVariant(repo, version, "slim")}, Venv: venv, venvAt: at, Changes: changes,
				copies: []artifact{{venv + "/", venv + "/"}, {workdir + "/", workdir + "/"}}}, ""
		case (words[0] == "pip" || words[0] == "pip3") && slices.Contains(words, "install") && slices.Contains(words, "--user"):
			if workdir == "" || workdir == "?" || repo != "python" {
				continue
			}
			if u, _, _ := strings.Cut(state.User, ":"); u != "" && u != "root" && u != "0" {
				// Its --user packages are in that user's home, not the
				// /root/.local the runtime copies.
				missed = "pip install --user runs as user " + u + ", whose packages are not in /root/.local"
				continue
			}
			// Packages with compiled parts are built for the builder's C
			// library: an alpine builder's (musl) need an alpine runtime.
			runtime := imageVariant(repo, version, "slim")
			if strings.Contains(tag, "alpine") {
				runtime = imageVariant(repo, version, "alpine")
			}
			return &RuntimePlan{Ecosystem: "Python", Bases: []string{runtime}, copies: []artifact{
				{"/root/.local/", "/root/.local/"}, {workdir + "/", workdir + "/"},
			}}, ""
		}
	}
	if missed != "" {
		return nil, missed
	}
	return nil, "no artifact found: no go build -o, dotnet publish -o, mvn package, npm, pnpm, yarn or bun run build whose output the command runs or serves, or pip install"
}

// yarnBerry returns what in stage s shows Yarn 2 or later (berry), whose
// install knows no --production, or "": a yarn install with --immutable
// or --immutable-cache, yarn set version, corepack preparing yarn@2 or
// later, a copy of .yarnrc.yml or .yarn.
func yarnBerry(ix *analysis.Index, s int) string {
	st := ix.Stage(s)
	for i := st.First + 1; i < st.End; i++ {
		n := ix.Node(i)
		switch n.Cmd {
		case "copy", "add":
			for _, a := range n.Args {
				if p := strings.TrimPrefix(a.Value, "./"); strings.HasPrefix(p, ".yarnrc.yml") || p == ".yarn" || strings.HasPrefix(p, ".yarn/") {
					return a.Value + " copied"
				}
			}
		case "run":
			cmds, _ := analysis.RunCommands(ix, i)
			for _, c := range cmds {
				w := c.Words
				switch {
				case len(w) > 1 && w[0] == "yarn" && (slices.Contains(w, "--immutable") || slices.Contains(w, "--immutable-cache")):
					return "yarn install --immutable"
				case hasSeq(w, "yarn", "set") && slices.Contains(w, "version"):
					return "yarn set version"
				case len(w) > 2 && w[0] == "corepack" && w[1] == "prepare":
					for _, x := range w[2:] {
						if v, ok := strings.CutPrefix(x, "yarn@"); ok && v != "" && (v[0] < '0' || v[0] > '1') {
							return "corepack prepare " + x
						}
					}
				}
			}
		}
	}
	return ""
}

// existingVenv returns the virtual environment RUN i of stage s installs
// into already: VIRTUAL_ENV set to a literal absolute folder, and an ENV
// of the stage before i putting its bin folder first on the PATH; "" when
// none.
func existingVenv(ix *analysis.Index, s, i int) string {
	v, _ := ix.Model().State(i).Var("VIRTUAL_ENV")
	if !strings.HasPrefix(v, "/") || strings.ContainsAny(v, "$ \"'") || path.Clean(v) == "/" {
		return ""
	}
	v = path.Clean(v)
	for k := ix.Stage(s).First + 1; k < i; k++ {
		if n := ix.Node(k); n.Cmd == "env" {
			text := ix.Doc.Slice(n.Span())
			if strings.Contains(text, "PATH=") && (strings.Contains(text, v+"/bin") || strings.Contains(text, "$VIRTUAL_ENV/bin") || strings.Contains(text, "${VIRTUAL_ENV}/bin")) {
				return v
			}
		}
	}
	return ""
}

// readsTargetPlatform reports whether a RUN of stage s reads the target
// platform's build arguments (GOARCH=$TARGETARCH): it builds for the
// target, not for the build machine its --platform names.
func readsTargetPlatform(ix *analysis.Index, s int) bool {
	st := ix.Stage(s)
	for i := st.First + 1; i < st.End; i++ {
		if n := ix.Node(i); n.Cmd == "run" {
			for _, u := range n.Uses {
				if strings.HasPrefix(u.Name.Value, "TARGET") {
					return true
				}
			}
		}
	}
	return false
}

// imageVariant names the variant (slim, alpine) of an official image
// repo at the version its tag starts with: repo:3.12-slim, and repo:slim
// for no tag, latest, or (python) a tag that starts with no version
// number, since python:latest-slim and python:bookworm-slim do not exist.
func imageVariant(repo, version, variant string) string {
	if version == "" || version == "latest" || repo == "python" && (version[0] < '0' || version[0] > '9') {
		return repo + ":" + variant
	}
	return repo + ":" + version + "-" + variant
}

// servedSite reads a static file server command (serve, http-server) and
// how it serves, or nil.
func servedSite(words []string) *staticSite {
	for k, w := range words {
		if w != "serve" && w != "http-server" {
			continue
		}
		site := &staticSite{port: "3000", server: w}
		if w == "http-server" {
			site.port = "8080"
		}
		rest := words[k+1:]
		for j := 0; j < len(rest); j++ {
			a := rest[j]
			switch {
			case a == "-s" || a == "--single":
				site.single = w == "serve"
			case (a == "-l" || a == "--listen") && w == "serve" || (a == "-p" || a == "--port") && w == "http-server":
				if j+1 >= len(rest) {
					return nil
				}
				j++
				p := rest[j]
				if i := strings.LastIndexByte(p, ':'); i >= 0 {
					p = p[i+1:]
				}
				if strings.Trim(p, "0123456789") != "" || p == "" {
					return nil // a socket or a variable: not a port we can keep
				}
				site.port = p
			case strings.HasPrefix(a, "-"):
				return nil // an option whose behaviour nginx would not keep
			default:
				site.dir = strings.TrimSuffix(strings.TrimPrefix(a, "./"), "/")
			}
		}
		if strings.ContainsAny(site.dir, "$/") {
			site.dir = ""
		}
		return site
	}
	return nil
}

// systemPackages reports whether stage s installs packages with the
// system package manager.
func systemPackages(ix *analysis.Index, s int) bool {
	st := ix.Stage(s)
	for i := st.First + 1; i < st.End; i++ {
		if ix.Node(i).Cmd == "run" {
			if _, sys := analysis.RunKinds(ix, i); sys {
				return true
			}
		}
	}
	return false
}

// isTool reports whether word runs tool or its wrapper script (mvnw,
// gradlew).
func isTool(word, tool string) bool {
	word = strings.TrimPrefix(word, "./")
	return word == tool || word == tool+"w"
}

func hasSeq(words []string, a, b string) bool {
	for k := 0; k+1 < len(words); k++ {
		if words[k] == a && words[k+1] == b {
			return true
		}
	}
	return false
}

// flagValue returns the value of -f v or -f=v among words.
func flagValue(words []string, f string) string {
	for k, w := range words {
		if w == f && k+1 < len(words) {
			return words[k+1]
		}
		if v, ok := strings.CutPrefix(w, f+"="); ok {
			return v
		}
	}
	return ""
}

// carried reports whether the runtime stage takes instruction cmd over:
// what only sets image metadata (MAINTAINER's author included), VOLUME and
// ONBUILD (a trigger for the images built on the final one; the runtime is
// not built FROM the builder, so left there it would fire nowhere) move to
// it; the state instructions (ARG, ENV, WORKDIR, USER, SHELL) are copied,
// the builder's RUNs needing them too. SHELL goes along because a
// shell-form CMD, ENTRYPOINT or HEALTHCHECK runs under it.
func carried(cmd string) bool {
	return metadataOnly(cmd) || setsState(cmd) || cmd == "volume" || cmd == "onbuild"
}

// SplitBuildRuntime turns final stage s into a builder and appends a
// runtime stage on base that copies the artifact and carries the image's
// configuration.
func SplitBuildRuntime(ix *analysis.Index, s int, plan *RuntimePlan, base string) []analysis.Edit {
	doc := ix.Doc
	nl := eol(doc)
	st := ix.Stage(s)
	from := ix.Node(st.First)
	as := keyword(from, "AS")
	if from.As() != nil {
		as = from.As().Value
	}
	var edits []analysis.Edit
	var builder, runtimeName string
	if st.Name != "" {
		builder, runtimeName = freshName(ix, strings.ToLower(st.Name)+"-build", plan.reserved...), st.Name
		edits = append(edits, analysis.Edit{Span: st.NameSpan, Text: builder})
	} else {
		builder = freshName(ix, "build", plan.reserved...)
		end := from.Abs(from.Base().Span).End
		edits = append(edits, analysis.Edit{Span: analysis.Span{Start: end, End: end}, Text: " " + as + " " + builder})
	}
	kw := func(w string) string { return keyword(from, w) }
	var env, conf []string
	lastRun := -1
	movedLast := false // the file's last line moves to the runtime stage
	for i := st.First + 1; i < st.End; i++ {
		n := ix.Node(i)
		if n.Cmd == "run" {
			lastRun = i
		}
		if plan.Venv != "" && i == plan.venvAt {
			// The builder installs into a virtual environment the runtime copies.
			at := doc.LineStart(doc.LineOf(n.Start))
			edits = append(edits, analysis.Edit{Span: analysis.Span{Start: at, End: at},
				Text: kw("RUN") + " python -m venv " + plan.Venv + nl + kw("ENV") + " PATH=\"" + plan.Venv + "/bin:$PATH\"" + nl})
		}
		if !carried(n.Cmd) {
			continue
		}
		text := doc.Slice(n.Span())
		if setsState(n.Cmd) {
			if plan.static != nil && (n.Cmd == "workdir" || n.Cmd == "user") {
				continue
			}
			if n.Cmd == "user" {
				conf = append(conf, text)
			} else {
				env = append(env, text)
			}
			continue
		}
		line := doc.LineOf(n.Start)
		end := lineAfter(doc, n.Start+n.Len)
		movedLast = movedLast || end == doc.Len()
		edits = append(edits, analysis.Edit{Span: analysis.Span{Start: doc.LineStart(line), End: end}})
		if plan.static != nil && n.Cmd != "label" && n.Cmd != "expose" && n.Cmd != "onbuild" {
			continue
		}
		conf = append(conf, text)
	}
	text := doc.Text()
	head := nl // a blank line between the stages
	if !movedLast && !strings.HasSuffix(text, "\n") && !strings.HasSuffix(text, "\r") {
		head = nl + nl
	}
	if plan.Prune != "" && lastRun >= 0 {
		// Right after the builder's last RUN, as the user that installed
		// node_modules (a USER after it, such as node, may not write
		// there); the runtime copies node_modules.
		n := ix.Node(lastRun)
		at := n.Start + n.Len
		edits = append(edits, analysis.Edit{Span: analysis.Span{Start: at, End: at}, Text: nl + kw("RUN") + " " + plan.Prune})
	}
	var lines []string
	lines = append(lines, from.Keyword.Value+" "+base)
	if f := from.Flag("platform"); f != nil && f.HasValue && !plan.crossBuilt {
		// The image keeps the platform the final stage was built for
		// (FROM --platform=$BUILDPLATFORM makes one of the build
		// machine's, whatever the target): the binary copied was built for
		// it.
		lines[0] = from.Keyword.Value + " " + ix.Doc.Slice(from.Abs(f.Span)) + " " + base
	}
	if runtimeName != "" {
		lines[len(lines)-1] += " " + as + " " + runtimeName
		// The stage's description and check settings go with the name.
		lines = append(carriedComments(ix, st.First, runtimeName), lines...)
	}
	if plan.Changes != "" {
		lines = append(lines, "# Runtime stage: "+plan.Changes+".")
	}
	lines = append(lines, env...)
	if plan.Venv != "" && plan.venvAt >= 0 {
		lines = append(lines, kw("ENV")+" PATH=\""+plan.Venv+"/bin:$PATH\"")
	}
	if plan.Certs[base] {
		lines = append(lines, kw("COPY")+" --from="+builder+" /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/")
	}
	for _, c := range plan.copies {
		lines = append(lines, kw("COPY")+" --from="+builder+" "+c.src+" "+c.dst)
	}
	if site := plan.static; site != nil {
		// nginx keeps the port and, for serve -s, the single-page fallback.
		fallback := "=404"
		if site.single {
			fallback = "/index.html"
		}
		server := []string{
			"server {",
			"    listen " + site.port + ";",
			"    root /usr/share/nginx/html;",
			"    location / {",
			"        try_files $uri $uri/ " + fallback + ";",
			"    }",
			"}",
		}
		if ix.Frontend().Has(analysis.LookupFeature(analysis.FeatureHeredoc, "")) {
			lines = append(lines, kw("COPY")+" <<'EOF' /etc/nginx/conf.d/default.conf")
			lines = append(append(lines, server...), "EOF")
		} else {
			// The file pins a frontend without heredocs (before 1.4): the
			// same file, written by the image's shell.
			lines = append(lines, kw("RUN")+" printf '%s\\n' '"+strings.Join(server, "' '")+"' > /etc/nginx/conf.d/default.conf")
		}
		if !hasExpose(ix, s) {
			lines = append(lines, kw("EXPOSE")+" "+site.port)
		}
	}
	lines = append(lines, conf...)
	edits = append(edits, analysis.Edit{Span: analysis.Span{Start: doc.Len(), End: doc.Len()}, Text: head + strings.Join(lines, nl) + nl})
	return analysis.SortEdits(edits)
}

// hasExpose reports whether stage s has an EXPOSE.
func hasExpose(ix *analysis.Index, s int) bool {
	st := ix.Stage(s)
	for i := st.First + 1; i < st.End; i++ {
		if ix.Node(i).Cmd == "expose" {
			return true
		}
	}
	return false
}

// commandMisses returns why the runtime stage's command or health check
// would not find what it runs, or "": the runtime holds the copied
// artifacts and its base image's programs, not the builder's toolchain
// (go run, dotnet run), the sources (./docker-entrypoint.sh, a
// configuration file under the working directory) nor the builder's tools
// (curl in a HEALTHCHECK), nor a VOLUME folder a RUN prepared.
func commandMisses(ix *analysis.Index, s int, p *RuntimePlan) string {
	st := ix.Stage(s)
	workdir := knownWorkdir(ix.Model().EndState(s).Workdir)
	// Where the builder has what the runtime lacks: the working directory
	// and the folders the stage copies the build context into.
	var sources []string
	if workdir != "" && workdir != "?" {
		sources = append(sources, workdir)
	}
	for i := st.First + 1; i < st.End; i++ {
		n := ix.Node(i)
		if (n.Cmd == "copy" || n.Cmd == "add") && n.Flag("from") == nil && len(n.Args) >= 2 && len(n.Heredocs()) == 0 {
			if d := analysis.AbsDest(ix, i, n.Args[len(n.Args)-1].Value); d != "" && d != "/" {
				sources = append(sources, strings.TrimSuffix(d, "/"))
			}
		}
	}
	resolve := func(w string) string {
		switch {
		case strings.HasPrefix(w, "/"):
			return path.Clean(w)
		case workdir == "" || workdir == "?":
			return ""
		}
		return path.Join(workdir, w)
	}
	covered := func(f string) bool {
		for _, a := range p.copies {
			if dst := strings.TrimSuffix(a.dst, "/"); f == dst || strings.HasPrefix(f, dst+"/") {
				return true
			}
		}
		return false
	}
	// An artifact the command names by its base name, on the PATH.
	onPath := func(w string) bool {
		for _, a := range p.copies {
			if !strings.HasSuffix(a.dst, "/") && path.Base(a.dst) == w {
				return true
			}
		}
		return false
	}
	// The ecosystem's own runtime, which every runtime base has.
	runtimes := map[string][]string{".NET": {"dotnet"}, "Java": {"java"}, "Node": {"node", "npm", "npx", "yarn"}, "Bun": {"bun", "bunx"}, "Python": {"python", "python3"}}[p.Ecosystem]
	// The image's ENTRYPOINT, wherever it stands in the stage: the CMD
	// gives it arguments.
	var entrypoint []string
	for i := st.First + 1; i < st.End; i++ {
		if n := ix.Node(i); n.Cmd == "entrypoint" {
			entrypoint, _ = commandWords(ix, n)
		}
	}
	for i := st.First + 1; i < st.End; i++ {
		n := ix.Node(i)
		if n.Cmd == "volume" {
			// A volume folder a RUN prepares (mkdir, chown for the USER)
			// would be a new, root-owned folder in the runtime.
			for _, a := range n.Args {
				v := strings.Trim(a.Value, "[]\",")
				if f := resolve(v); f != "" && !covered(f) && runMentions(ix, st, f) {
					return "a RUN prepares the VOLUME " + v + ", which the runtime stage would not have"
				}
			}
			continue
		}
		if n.Cmd != "cmd" && n.Cmd != "entrypoint" && n.Cmd != "healthcheck" {
			continue
		}
		words, ok := commandWords(ix, n)
		if !ok {
			return "the image's " + strings.ToUpper(n.Cmd) + " cannot be read"
		}
		// Every file the command names that the builder has from its
		// sources must come with an artifact.
		for k, w := range words {
			if _, v, ok := strings.Cut(w, "="); ok && (strings.HasPrefix(v, "/") || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "../")) {
				w = v
			}
			prev := ""
			if k > 0 {
				prev = words[k-1]
			}
			if prev == "run" && k > 1 && words[k-2] == "bun" {
				prev = "bun" // bun run dist/index.js runs the file as bun dist/index.js does
			}
			script := slices.Contains(runtimes, prev) && !strings.HasPrefix(w, "-") && (prev != "dotnet" || strings.HasSuffix(w, ".dll")) &&
				// bun run start, bun start: a package.json script, not a file.
				(prev != "bun" || strings.ContainsAny(w, "./"))
			if !script && !strings.HasPrefix(w, "/") && !strings.HasPrefix(w, "./") && !strings.HasPrefix(w, "../") {
				continue
			}
			f := resolve(w)
			if f == "" && script {
				continue
			}
			inSources := f == ""
			for _, d := range sources {
				inSources = inSources || f == d || strings.HasPrefix(f, d+"/")
			}
			if inSources && !covered(f) {
				return "the image's " + strings.ToUpper(n.Cmd) + " reads " + w + ", which the runtime stage would not have"
			}
		}
		// The program itself: an artifact or the ecosystem's runtime.
		prog := words
		if n.Cmd == "cmd" && len(entrypoint) > 0 {
			prog = entrypoint
		}
		if len(prog) == 0 {
			continue
		}
		what := "command"
		if n.Cmd == "healthcheck" {
			what = "health check"
		}
		w := prog[0]
		if w == "dotnet" && len(prog) > 1 && !strings.HasSuffix(prog[1], ".dll") {
			return "the image's " + what + " runs dotnet " + prog[1] + ", which needs the SDK the runtime image lacks"
		}
		// A name without a slash is looked up on the PATH: the ecosystem's
		// runtime, a copied artifact, or (Python) a console script of the
		// copied environment.
		found := slices.Contains(runtimes, w) || onPath(w) || p.Ecosystem == "Python"
		if strings.Contains(w, "/") {
			found = resolve(w) != "" && covered(resolve(w))
		}
		if !found {
			return "the image's " + what + " runs " + w + ", which the runtime image may lack"
		}
	}
	return ""
}

// runMentions reports whether a RUN of stage st names the path f as a
// word of its own (followed by nothing, a slash, a blank or a quote).
func runMentions(ix *analysis.Index, st analysis.Stage, f string) bool {
	for i := st.First + 1; i < st.End; i++ {
		n := ix.Node(i)
		if n.Cmd != "run" {
			continue
		}
		text := ix.Doc.Slice(n.Span())
		for k := strings.Index(text, f); k >= 0; {
			end := k + len(f)
			before := k == 0 || strings.ContainsRune(" \t\"'=:", rune(text[k-1]))
			if before && (end == len(text) || strings.ContainsRune("/ \t\r\n\"';&|", rune(text[end]))) {
				return true
			}
			next := strings.Index(text[k+1:], f)
			if next < 0 {
				break
			}
			k += 1 + next
		}
	}
	return false
}

// commandWords returns the words of a CMD, ENTRYPOINT or HEALTHCHECK's
// command (none for HEALTHCHECK NONE), the leading exec and variable
// assignments of a shell form left out; false when they cannot be read.
func commandWords(ix *analysis.Index, n analysis.Node) ([]string, bool) {
	var words []string
	if n.Cmd == "healthcheck" {
		if len(n.Args) == 0 || strings.EqualFold(n.Args[0].Value, "none") {
			return nil, true
		}
		if len(n.Args) < 2 || !strings.EqualFold(n.Args[0].Value, "cmd") {
			return nil, false
		}
		text := strings.TrimSpace(ix.Doc.Slice(analysis.Span{Start: n.Abs(n.Args[1].Span).Start, End: n.Abs(n.Args[len(n.Args)-1].Span).End}))
		if strings.HasPrefix(text, "[") {
			if json.Unmarshal([]byte(text), &words) != nil {
				return nil, false
			}
			return words, true
		}
		words = strings.Fields(text)
	} else {
		for _, a := range n.Args {
			if n.JSON {
				words = append(words, a.Value)
			} else {
				words = append(words, strings.Fields(a.Value)...)
			}
		}
		if n.JSON {
			return words, true
		}
	}
	for len(words) > 0 && (words[0] == "exec" || strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-")) {
		words = words[1:]
	}
	return words, true
}

// YarnBerry returns what shows that the yarn of stage s, run in the folder
// dir (the model's working directory), is Yarn 2 or later, or "": the
// stage's instructions (yarnBerry), else the files of the build context
// bctx it copies (yarnBerryContext).
func YarnBerry(ix *analysis.Index, s int, dir string, bctx analysis.BuildContext) string {
	if why := yarnBerry(ix, s); why != "" {
		return why
	}
	return yarnBerryContext(ix, s, knownWorkdir(dir), bctx)
}

// yarnBerryContext returns what the build context shows of Yarn 2 or later
// in the project a yarn build in folder dir reads, or "": the files of the
// context the stage copies to dir or a folder above it (Yarn looks upwards
// for its project) that the .dockerignore lets through: package.json's
// packageManager naming yarn@2 or later, a .yarnrc.yml (whose yarnPath
// the global Yarn 1 hands over to), a Yarn release in .yarn/releases, a
// yarn.lock in Yarn 2's format.
func yarnBerryContext(ix *analysis.Index, s int, dir string, bctx analysis.BuildContext) string {
	if bctx.FS == nil || dir == "" || dir == "?" {
		return ""
	}
	st := ix.Stage(s)
	for i := st.First + 1; i < st.End; i++ {
		n := ix.Node(i)
		if (n.Cmd != "copy" && n.Cmd != "add") || n.Flag("from") != nil || n.Flag("parents") != nil || len(n.Heredocs()) > 0 || len(n.Args) < 2 {
			continue
		}
		destArg := n.Args[len(n.Args)-1].Value
		dest := analysis.AbsDest(ix, i, destArg)
		if dest == "" {
			continue
		}
		srcs := n.Args[:len(n.Args)-1]
		intoDir := strings.HasSuffix(destArg, "/") || len(srcs) > 1
		for _, a := range srcs {
			p, ok := analysis.ContextPath(a.Value)
			if !ok {
				continue
			}
			// The context folder whose files land in a project folder of
			// dir, and which of its files (nil: all of them).
			var folder string
			var only []string
			switch {
			case strings.ContainsAny(p, "*?["):
				if !above(dest, dir) {
					continue
				}
				folder, only = path.Dir(p), []string{path.Base(p)}
			case p == "" || isDir(bctx, p):
				if !above(dest, dir) {
					continue
				}
				// Every project folder from the copy's down to dir's.
				rel := strings.TrimPrefix(strings.TrimPrefix(dir, path.Clean(dest)), "/")
				if path.Clean(dest) == "/" {
					rel = strings.TrimPrefix(dir, "/")
				}
				for sub := rel; sub != "" && sub != "."; sub = path.Dir(sub) {
					if why := berryFiles(bctx, path.Join(p, sub), nil); why != "" {
						return why
					}
				}
				folder = p
			default:
				target := dest
				if intoDir || isRootSource(destArg) {
					target = path.Join(dest, path.Base(p))
				}
				if !above(path.Dir(target), dir) || path.Base(target) != path.Base(p) {
					continue
				}
				folder, only = path.Dir(p), []string{path.Base(p)}
			}
			if folder == "." {
				folder = ""
			}
			if why := berryFiles(bctx, folder, only); why != "" {
				return why
			}
		}
	}
	return ""
}

// above reports whether folder f is dir or one of its parents.
func above(f, dir string) bool {
	f = path.Clean(f)
	return f == dir || f == "/" || strings.HasPrefix(dir, f+"/")
}

// berryFiles returns which file of the context folder, among those named
// by only (patterns; nil for every file), shows Yarn 2 or later, or "".
func berryFiles(bctx analysis.BuildContext, folder string, only []string) string {
	copied := func(name string) (string, bool) {
		p := path.Join(folder, name)
		if only != nil && !slices.ContainsFunc(only, func(o string) bool { ok, _ := path.Match(o, strings.SplitN(name, "/", 2)[0]); return ok }) {
			return p, false
		}
		return p, !bctx.Ignored(p)
	}
	if p, ok := copied("package.json"); ok {
		if data, err := fs.ReadFile(bctx.FS, p); err == nil {
			var pkg struct {
				PackageManager string `json:"packageManager"`
			}
			if json.Unmarshal(data, &pkg) == nil {
				if v, ok := strings.CutPrefix(pkg.PackageManager, "yarn@"); ok && v != "" && (v[0] < '0' || v[0] > '1') {
					return p + " has packageManager " + pkg.PackageManager
				}
			}
		}
	}
	if p, ok := copied(".yarnrc.yml"); ok {
		if _, err := fs.Stat(bctx.FS, p); err == nil {
			return p + " is in the build context"
		}
	}
	if p, ok := copied(".yarn/releases"); ok {
		if entries, err := fs.ReadDir(bctx.FS, p); err == nil {
			for _, e := range entries {
				if v, ok := strings.CutPrefix(e.Name(), "yarn-"); ok && v != "" && (v[0] < '0' || v[0] > '1') && !bctx.Ignored(path.Join(p, e.Name())) {
					return path.Join(p, e.Name()) + " is in the build context"
				}
			}
		}
	}
	if p, ok := copied("yarn.lock"); ok {
		if f, err := bctx.FS.Open(p); err == nil {
			head := make([]byte, 512)
			k, _ := f.Read(head)
			f.Close()
			if strings.Contains(string(head[:k]), "\n__metadata:") {
				return p + " is in Yarn 2's format"
			}
		}
	}
	return ""
}
