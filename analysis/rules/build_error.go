package rules

import (
	"errors"
	"fmt"
	"net"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"github.com/moby/sys/signal"
	digest "github.com/opencontainers/go-digest"
	mode "github.com/tonistiigi/dchapes-mode"

	"github.com/stagehand-ls/stagehand/analysis"
)

var BuildError = register(&Rule{
	Name:     "BuildError",
	Summary:  "An instruction BuildKit's parser reads but its build rejects; the message is BuildKit's.",
	Severity: Error,
	Fails:    true,
	Doc: `BuildKit reads a Dockerfile in two steps. Its parser and instruction parser
reject what is malformed on its face (reported as ` + "`InstructionError`" + `). Other
mistakes pass both and fail only when BuildKit dispatches the instruction in a
build, with ` + "`docker build --check`" + ` printing nothing beforehand:

- a word BuildKit's shell lexer cannot expand: an unmatched quote (often from
  the legacy ` + "`LABEL \"a b\" c`" + ` form, whose key is split at the first blank), a bad
  substitution (` + "`${}`" + `, ` + "`${A!}`" + `, ` + "`${A:1:2}`" + `), or ` + "`${A:?message}`" + ` with A unset;
- an ` + "`EXPOSE`" + ` port that is not a port or range, or whose protocol is not tcp,
  udp or sctp, after expansion;
- a ` + "`--chmod`" + ` that is neither octal up to 07777 nor a symbolic mode;
- ` + "`--chown`" + ` by user or group name together with ` + "`--link`" + ` (reported when the
  file builds with the newest frontend: no ` + "`# syntax=`" + `, or a floating tag);
- a ` + "`RUN --mount`" + ` with an unknown type, key or value, or without a target;
- an empty ` + "`VOLUME`" + ` and an unknown ` + "`STOPSIGNAL`" + `;
- a ` + "`FROM`" + ` image name BuildKit cannot parse: capitals in its repository
  (` + "`FROM Alpine`" + `, ` + "`FROM Scratch`" + `), a malformed tag or digest, over 255 characters.

The rule runs BuildKit's own instruction parser, lexer and mount parser on the
instruction, with the values the stage's ARG and ENV give it in a build with no
build arguments, and reports BuildKit's message. A failure that depends on a
variable the base image may set is not reported in a stage built on an image.`,
	Bad: `FROM alpine
LABEL "maintainer name" me
EXPOSE 80/http
`,
	Good: `FROM alpine
LABEL "maintainer name"=me
EXPOSE 80/tcp
`,
	Scope: PerStage,
	Run:   runBuildError,
})

func runBuildError(p *Pass) {
	ix := p.Index
	lex := shell.NewLex(rune(ix.Escape)) // it keeps no state between words
	p.eachNode(func(n analysis.Node) {
		if n.Cmd == "from" {
			if msg, span, bad := baseNameError(ix, n); bad {
				p.Reportf(span, nil, "%s", msg)
			}
			return
		}
		if ix.StageOf(n.Index) < 0 && n.Cmd != "arg" || !dispatchCandidate(ix, n) {
			return
		}
		stage := &stageEnv{p: p, n: n}
		d := dispatcher{p: p, n: n, lex: lex, env: stage, stage: stage}
		msg, span, bad, done := d.plainPairs()
		if !done {
			msg, span, bad, done = d.plainExpose()
		}
		if !done {
			msg, span, bad, done = d.plainMounts()
		}
		if !done {
			cmd, ok := d.plainRun()
			if !ok {
				cmd, ok = ix.BuildKitCommand(n.Index)
			}
			if !ok {
				return
			}
			msg, span, bad = d.dispatch(cmd)
		}
		if bad {
			p.Reportf(span, nil, "%s", analysis.StableSuggestion(msg, n.Cmd))
		}
	})
}

// baseNameError is BuildKit's failure on a FROM whose base, written
// without variables, is neither a stage, scratch nor a name
// distribution/reference accepts (`FROM Alpine`, `FROM ubuntu::22.04`):
// dockerfile2llb normalizes every such base, built or not, before it
// resolves one. A base with variables may be fixed by a build argument
// (InvalidDefaultArgInFrom warns of its defaults), and one that differs
// from a stage's name only in case is UnknownStageReference's.
func baseNameError(ix *analysis.Index, n analysis.Node) (msg string, span analysis.Span, bad bool) {
	s := ix.StageOf(n.Index)
	if s < 0 || n.Base() == nil {
		return "", span, false
	}
	st := ix.Stage(s)
	if st.BaseStage >= 0 || st.Base == "scratch" || hasSpecial(st.Base, ix.Escape) {
		return "", span, false
	}
	err := parseBaseName(st.Base)
	if err == nil {
		return "", span, false
	}
	stages := ix.Stages()
	for k := range s {
		if strings.EqualFold(stages.At(k).Name, st.Base) {
			return "", span, false
		}
	}
	return fmt.Sprintf("failed to parse stage name %q: %v", st.Base, err), n.Abs(n.Base().Span), true
}

// dispatchCandidate reports whether BuildKit's dispatch may reject n: the
// cheap test that keeps the common instructions away from BuildKit's
// parser. BuildKit's lexer fails only on a quote or a `${`.
func dispatchCandidate(ix *analysis.Index, n analysis.Node) bool {
	switch n.Cmd {
	case "expose", "volume", "stopsignal":
		return true
	case "run":
		for _, f := range n.Flags {
			if strings.EqualFold(f.Name.Value, "mount") {
				return true
			}
		}
		return false
	case "copy", "add":
		for _, f := range n.Flags {
			switch strings.ToLower(f.Name.Value) {
			case "chmod", "chown", "checksum":
				return true
			}
		}
	case "env", "label", "arg", "workdir", "user":
	default:
		return false
	}
	if len(n.Heredocs()) > 0 {
		return true
	}
	if !hasSpecial(ix.Doc.Slice(n.Span())[n.Keyword.Span.End:], ix.Escape) {
		return false // no quote, `$` or escape: nothing for the lexer to refuse
	}
	for _, a := range n.Args {
		w := ix.Doc.Slice(n.Abs(a.Span))
		if !plainWord(w, ix.Escape) {
			return true
		}
		if (n.Cmd == "copy" || n.Cmd == "add") && strings.ContainsAny(w, " \t") {
			return true // BuildKit splits COPY's words at blanks, quotes or not
		}
		if (n.Cmd == "env" || n.Cmd == "label") && !strings.Contains(w, "=") && strings.ContainsAny(ix.Doc.Slice(n.Span()), "\"'$") {
			return true // the legacy form: BuildKit splits the words again
		}
	}
	return false
}

// hasSpecial reports whether w holds a quote, a `$` or the escape
// character: what BuildKit's lexer reads as more than text.
func hasSpecial(w string, esc byte) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c == '"' || c == '\'' || c == '$' || c == esc {
			return true
		}
	}
	return false
}

// plainWord reports whether BuildKit's lexer expands w without an error
// whatever the variables hold, without running it: no escape character,
// quotes of one kind only and paired, and every `${` a plain name, closed,
// or a name with `-`, `:-`, `+` or `:+` and a word without `$`, braces or
// quotes. Most words are; the lexer allocates on every one.
func plainWord(w string, esc byte) bool {
	if !hasSpecial(w, esc) {
		return true
	}
	if strings.IndexByte(w, esc) >= 0 {
		return false
	}
	dq, sq := strings.Count(w, `"`), strings.Count(w, `'`)
	if dq > 0 && sq > 0 || dq%2 != 0 || sq%2 != 0 {
		return false
	}
	for rest := w; ; {
		i := strings.Index(rest, "${")
		if i < 0 {
			return true
		}
		rest = rest[i+2:]
		j := 0
		for j < len(rest) && (rest[j] == '_' || 'a' <= rest[j]|0x20 && rest[j]|0x20 <= 'z' || j > 0 && '0' <= rest[j] && rest[j] <= '9') {
			j++
		}
		if j == 0 {
			return false
		}
		rest = rest[j:]
		if strings.HasPrefix(rest, "}") {
			continue
		}
		op := rest
		op = strings.TrimPrefix(op, ":")
		if !strings.HasPrefix(op, "-") && !strings.HasPrefix(op, "+") {
			return false
		}
		end := strings.IndexByte(op, '}')
		if end < 0 || strings.ContainsAny(op[1:end], "${\"'") {
			return false
		}
		rest = op[end+1:]
	}
}

// plainRun reads a RUN whose flags hold no quote or escape with BuildKit's
// instructions package, without its parser: the flags as written are the
// words BuildKit's parser gives it, and dispatch judges nothing else of
// RUN. The command line stands for the real one.
func (d *dispatcher) plainRun() (instructions.Command, bool) {
	n, ix := d.n, d.p.Index
	if n.Cmd != "run" {
		return nil, false
	}
	node := &parser.Node{Value: n.Keyword.Value, Next: &parser.Node{Value: "true"}}
	for _, f := range n.Flags {
		w := ix.Doc.Slice(n.Abs(f.Span))
		if strings.ContainsAny(w, "\"'\n\r") || strings.IndexByte(w, ix.Escape) >= 0 {
			return nil, false
		}
		node.Flags = append(node.Flags, w)
	}
	c, err := instructions.ParseInstructionWithLinter(node, nil)
	if err != nil {
		return nil, false
	}
	cmd, ok := c.(instructions.Command)
	return cmd, ok
}

// mountMemo keeps BuildKit's reading of RUN flags without variables, by
// their text: the same cache and bind mounts recur in a file and across
// runs, and the instructions package allocates much to read them. It is
// dropped whole when it grows past mountMemoSize.
var mountMemo struct {
	sync.Mutex
	m map[string]mountRead
}

const mountMemoSize = 4096

type mountRead struct {
	mounts []*instructions.Mount
	err    error
	ok     bool // BuildKit's instruction parser reads the flags
}

// plainMounts checks a RUN whose flags hold no variable, quote or escape:
// the mounts' targets against the working directory, the rest as
// BuildKit read them once.
func (d *dispatcher) plainMounts() (msg string, span analysis.Span, bad, done bool) {
	n, ix := d.n, d.p.Index
	if n.Cmd != "run" {
		return "", span, false, false
	}
	flags := make([]string, 0, len(n.Flags))
	for _, f := range n.Flags {
		w := ix.Doc.Slice(n.Abs(f.Span))
		if strings.ContainsAny(w, "$\"'\n\r") || strings.IndexByte(w, ix.Escape) >= 0 {
			return "", span, false, false
		}
		flags = append(flags, w)
	}
	key := strings.Join(flags, "\x00")
	mountMemo.Lock()
	r, hit := mountMemo.m[key]
	mountMemo.Unlock()
	if !hit {
		cmd, ok := d.plainRun()
		r.ok = ok
		if ok {
			run := cmd.(*instructions.RunCommand)
			r.err = run.Expand(func(w string) (string, error) { return w, nil })
			r.mounts = instructions.GetMounts(run)
		}
		mountMemo.Lock()
		if mountMemo.m == nil || len(mountMemo.m) >= mountMemoSize {
			mountMemo.m = map[string]mountRead{}
		}
		mountMemo.m[key] = r
		mountMemo.Unlock()
	}
	if !r.ok {
		return "", span, false, true
	}
	err := r.err
	if err == nil {
		err = d.checkMounts(r.mounts)
	}
	if err != nil {
		m, _, _ := strings.Cut(err.Error(), "\n")
		return m, d.wholeSpan(), true, true
	}
	return "", span, false, true
}

// plainExpose checks an EXPOSE without variables, quotes or escape as
// BuildKit does, without its parser: its words, sorted as BuildKit's
// instruction parser sorts them.
func (d *dispatcher) plainExpose() (msg string, span analysis.Span, bad, done bool) {
	n, ix := d.n, d.p.Index
	if n.Cmd != "expose" || len(n.Flags) > 0 {
		return "", span, false, false
	}
	ports := make([]string, 0, len(n.Args))
	for _, a := range n.Args {
		w := ix.Doc.Slice(n.Abs(a.Span))
		if strings.ContainsAny(w, "$\"'\n\r") || strings.IndexByte(w, ix.Escape) >= 0 {
			return "", span, false, false
		}
		ports = append(ports, w)
	}
	sort.Strings(ports)
	for _, p := range ports {
		if err := checkPort(p); err != nil {
			return err.Error(), d.wholeSpan(), true, true
		}
	}
	return "", span, false, true
}

// plainPairs checks an ENV, LABEL or ARG whose words are all `key=value`
// (or, for ARG, a name) on one line each, keys plain, without BuildKit's
// parser: BuildKit splits each word at its first `=` and expands the
// value (ENV and LABEL the key too, a plain one expanding to itself). done
// is false for any other instruction or form.
func (d *dispatcher) plainPairs() (msg string, span analysis.Span, bad, done bool) {
	n, doc := d.n, d.p.Index.Doc
	if n.Cmd != "env" && n.Cmd != "label" && n.Cmd != "arg" || len(n.Heredocs()) > 0 || len(n.Flags) > 0 || len(n.Args) == 0 {
		return "", span, false, false
	}
	type pair struct {
		key, value string
		hasValue   bool
		span       analysis.Span
	}
	pairs := make([]pair, 0, len(n.Args))
	for _, a := range n.Args {
		w := doc.Slice(n.Abs(a.Span))
		k, v, ok := strings.Cut(w, "=")
		if !ok && n.Cmd != "arg" || k == "" || strings.ContainsAny(w, "\n\r") || strings.ContainsAny(k, "\"'$") ||
			strings.IndexByte(w, d.p.Index.Escape) >= 0 {
			return "", span, false, false
		}
		pairs = append(pairs, pair{k, v, ok, n.Abs(a.Span)})
	}
	allPlain := true
	for _, pr := range pairs {
		allPlain = allPlain && plainWord(pr.value, d.p.Index.Escape)
	}
	if allPlain {
		return "", span, false, true
	}
	env := d.env
	var own overlay
	if n.Cmd == "arg" {
		own = overlay{base: d.env, own: map[string]string{}}
		env = own
	}
	for _, pr := range pairs {
		if !pr.hasValue || own.own == nil && plainWord(pr.value, d.p.Index.Escape) {
			continue
		}
		saved := d.env
		d.env = env
		v, err := d.expand(d.lex, pr.value)
		d.env = saved
		if err != nil && !errors.Is(err, errUnsure) {
			m, _, _ := strings.Cut(err.Error(), "\n")
			return m, d.wholeSpan(), true, true
		}
		if own.own != nil {
			own.own[pr.key] = v
		}
	}
	return "", span, false, true
}

// stageEnv is the variables instruction n is expanded with, read from
// the model when first asked (most instructions need none), and whether
// an image the model does not know may set others.
type stageEnv struct {
	p         *Pass
	n         analysis.Node
	env       shell.EnvGetter
	fromImage bool
}

func (e *stageEnv) read() {
	if e.env != nil {
		return
	}
	ix := e.p.Index
	s := ix.StageOf(e.n.Index)
	if s < 0 {
		e.env = e.p.GlobalEnv()
		return
	}
	chain := stageChain(e.p, s)
	e.fromImage = !strings.EqualFold(ix.Stage(chain[len(chain)-1]).Base, "scratch")
	e.env = build(e.p).State(e.n.Index).Env()
	if _, ok := e.env.Get("PATH"); !ok {
		// BuildKit gives every stage its default PATH.
		e.env = overlay{base: e.env, own: map[string]string{"PATH": defaultPath}}
	}
}

func (e *stageEnv) Get(k string) (string, bool) { e.read(); return e.env.Get(k) }
func (e *stageEnv) Keys() []string              { e.read(); return e.env.Keys() }

// defaultPath is the PATH BuildKit sets in a Linux stage.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// dispatcher replays, for one instruction, the checks BuildKit's dispatch
// (dockerfile2llb, v0.34.2) makes before it builds anything.
type dispatcher struct {
	p     *Pass
	n     analysis.Node
	lex   *shell.Lex
	env   shell.EnvGetter // stage, or it with an ARG's earlier values
	stage *stageEnv
}

// fromImage reports whether the stage is built on an image the model
// does not know, which may set variables.
func (d *dispatcher) fromImage() bool { d.stage.read(); return d.stage.fromImage }

// errUnsure stands for a failure that depends on a variable the base
// image may set: not reported.
var errUnsure = errors.New("depends on the image")

// expand expands word as BuildKit's dispatch does. A failure, or a
// result, that depends on a variable neither the stage nor the global
// ARGs set is errUnsure in a stage built on an image.
func (d *dispatcher) expand(lex *shell.Lex, word string) (string, error) {
	v, unmatched, err := lex.ProcessWord(word, d.env)
	if len(unmatched) > 0 && d.fromImage() {
		return v, errUnsure
	}
	if err != nil && d.fromImage() {
		// `${A:?msg}` fails on the unset A before noting it unmatched.
		if _, _, err2 := lex.ProcessWord(word, anySet{d.env}); err2 == nil {
			return v, errUnsure
		}
	}
	return v, err
}

// anySet is an environment in which every variable is set: the one in
// which only the lexer's syntax errors remain.
type anySet struct{ env shell.EnvGetter }

func (a anySet) Get(k string) (string, bool) {
	if v, ok := a.env.Get(k); ok {
		return v, ok
	}
	return "x", true
}

func (a anySet) Keys() []string { return a.env.Keys() }

// dispatch returns BuildKit's error for cmd and where to report it.
func (d *dispatcher) dispatch(cmd instructions.Command) (string, analysis.Span, bool) {
	whole := d.wholeSpan()
	fail := func(err error) (string, analysis.Span, bool) {
		if err == nil || errors.Is(err, errUnsure) {
			return "", analysis.Span{}, false
		}
		msg, _, _ := strings.Cut(err.Error(), "\n")
		return msg, whole, true
	}
	if arg, ok := cmd.(*instructions.ArgCommand); ok {
		// ARG expands its defaults one by one, each seeing the ones
		// before it (dispatchArg); its names are not expanded.
		env := overlay{base: d.env, own: map[string]string{}}
		for _, kv := range arg.Args {
			if kv.Value == nil {
				continue
			}
			saved := d.env
			d.env = env
			v, err := d.expand(d.lex, *kv.Value)
			d.env = saved
			if err != nil {
				return fail(err)
			}
			env.own[kv.Key] = v
		}
		return "", analysis.Span{}, false
	}
	if ex, ok := cmd.(instructions.SupportsSingleWordExpansion); ok {
		if err := ex.Expand(func(w string) (string, error) { return d.expand(d.lex, w) }); err != nil {
			return fail(err)
		}
	}
	if ex, ok := cmd.(instructions.SupportsSingleWordExpansionRaw); ok {
		raw := shell.NewLex('\\')
		raw.SkipProcessQuotes = true
		if err := ex.ExpandRaw(func(w string) (string, error) { return d.expand(raw, w) }); err != nil {
			return fail(err)
		}
	}
	switch c := cmd.(type) {
	case *instructions.ExposeCommand:
		for _, p := range c.Ports {
			ports, err := d.lex.ProcessWords(p, d.env)
			if err == nil && d.fromImage() && strings.Contains(p, "$") {
				_, unmatched, _ := d.lex.ProcessWord(p, d.env)
				if len(unmatched) > 0 {
					continue
				}
			}
			if err != nil {
				return fail(err)
			}
			for _, port := range ports {
				if err := checkPort(port); err != nil {
					return fail(err)
				}
			}
		}
	case *instructions.CopyCommand:
		return fail(checkCopyFlags(c.Chmod, c.Chown, c.Link && d.newestFrontend()))
	case *instructions.AddCommand:
		if err := checkCopyFlags(c.Chmod, c.Chown, c.Link && d.newestFrontend()); err != nil {
			return fail(err)
		}
		return fail(checkChecksum(c.Checksum, c.SourcePaths))
	case *instructions.RunCommand:
		return fail(d.checkMounts(instructions.GetMounts(c)))
	case *instructions.VolumeCommand:
		for _, v := range c.Volumes {
			if v == "" {
				return fail(errors.New("VOLUME specified can not be an empty string"))
			}
		}
	case *instructions.StopSignalCommand:
		if _, err := signal.ParseSignal(c.Signal); err != nil {
			return fail(err)
		}
	}
	return "", analysis.Span{}, false
}

// wholeSpan is the instruction's first line from its keyword on, where an
// error about the instruction as a whole goes (as for InstructionError).
func (d *dispatcher) wholeSpan() analysis.Span {
	n := d.n
	end := n.Keyword.Span.End
	for _, f := range n.Flags {
		end = max(end, f.Span.End)
	}
	for _, a := range n.Args {
		end = max(end, a.Span.End)
	}
	return n.Abs(analysis.Span{Start: n.Keyword.Span.Start, End: end})
}

// overlay is base with an instruction's own earlier ARGs on top.
type overlay struct {
	base shell.EnvGetter
	own  map[string]string
}

func (o overlay) Get(k string) (string, bool) {
	if v, ok := o.own[k]; ok {
		return v, true
	}
	return o.base.Get(k)
}

func (o overlay) Keys() []string {
	keys := o.base.Keys()
	for k := range o.own {
		keys = append(keys, k)
	}
	return keys
}

// newestFrontend reports whether the file builds with the newest
// frontend (no `# syntax=`, or a floating stable tag): the refusal of
// `--chown` by name with `--link` is BuildKit v0.34.2's, and we do not know
// the frontend release that brought it.
func (d *dispatcher) newestFrontend() bool {
	fe := d.p.Index.Frontend()
	return !fe.Pinned() || fe.Known && fe.Floating && !fe.Labs
}

// checkMounts checks the targets of RUN's mounts as BuildKit's
// dispatchRunMounts does: a relative target is joined to the working
// directory, and none may be the root.
func (d *dispatcher) checkMounts(mounts []*instructions.Mount) error {
	for _, m := range mounts {
		switch m.Type {
		case instructions.MountTypeBind, instructions.MountTypeCache, instructions.MountTypeTmpfs:
		default:
			continue // secret and ssh mounts have their own default targets
		}
		target := path.Clean(m.Target)
		if !path.IsAbs(target) {
			dir := build(d.p).State(d.n.Index).Workdir
			switch {
			case dir == analysis.BaseWorkdir && !d.fromImage():
				dir = "/"
			case dir == analysis.BaseWorkdir || dir == "":
				continue // the image's working directory decides
			}
			target = path.Join("/", dir, target)
		}
		if target == "/" {
			return fmt.Errorf("invalid mount target %q", target)
		}
	}
	return nil
}

// checkChecksum checks ADD --checksum against its sources as BuildKit's
// dispatchCopy does.
func checkChecksum(checksum string, sources []string) error {
	if checksum == "" {
		return nil
	}
	if len(sources) != 1 {
		return errors.New("checksum can't be specified for multiple sources")
	}
	git, http := remoteSource(sources[0])
	if !http && !git {
		return errors.New("checksum requires HTTP(S) or Git sources")
	}
	if http {
		if _, err := digest.Parse(checksum); err != nil {
			return err
		}
	}
	return nil
}

// remoteSource reports whether ADD's source src is a Git repository or
// else an HTTP(S) URL, as BuildKit's dfgitutil.ParseGitRef and
// isHTTPSource tell them, read for the common forms: its package would
// bring in an SSH client.
func remoteSource(src string) (git, http bool) {
	u, _, _ := strings.Cut(src, "#")
	git = strings.HasPrefix(src, "git@") || strings.HasPrefix(src, "git://") || strings.HasPrefix(src, "ssh://") ||
		strings.HasSuffix(u, ".git")
	http = !git && (strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://"))
	return git, http
}

// checkCopyFlags checks COPY's and ADD's --chmod and --chown as BuildKit's
// dispatchCopy does, after expansion.
func checkCopyFlags(chmod, chown string, link bool) error {
	if link && chownByName(chown) {
		return errors.New("--chown=" + chown + ": user and group names can't be resolved when used with --link, use numeric uid[:gid] instead")
	}
	if chmod == "" {
		return nil
	}
	nonOctal := errors.New("invalid chmod parameter: '" + chmod + "'. it should be octal string and between 0 and 07777")
	if p, err := strconv.ParseUint(chmod, 8, 32); err == nil {
		if p > 0o7777 {
			return nonOctal
		}
		return nil
	}
	if _, err := mode.Parse(chmod); err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) {
			return nonOctal // BuildKit's message when the value looks numeric
		}
		return err
	}
	return nil
}

// chownByName reports whether a --chown value names a user or group
// rather than giving numeric IDs: `user[:group]`, each part a name unless
// it is a number.
func chownByName(chown string) bool {
	if chown == "" {
		return false
	}
	user, group, _ := strings.Cut(chown, ":")
	isName := func(s string) bool {
		if s == "" {
			return false
		}
		_, err := strconv.ParseUint(s, 10, 32)
		return err != nil
	}
	return isName(user) || isName(group)
}

// checkPort checks one expanded EXPOSE word as BuildKit's dispatchExpose
// does: [ip:][hostPort:]containerPort[-end][/proto].
func checkPort(raw string) error {
	parts := strings.Split(raw, ":")
	var ip, host string
	container := parts[len(parts)-1]
	switch len(parts) {
	case 1:
	case 2:
		host = parts[0]
	default:
		ip, host = strings.Join(parts[:len(parts)-2], ":"), parts[len(parts)-2]
	}
	port, proto, _ := strings.Cut(container, "/")
	if port == "" {
		return errors.New("invalid port: " + strconv.Quote(raw) + ": no port specified")
	}
	switch strings.ToLower(proto) {
	case "", "tcp", "udp", "sctp":
	default:
		return errors.New("invalid port: " + strconv.Quote(raw) + ": invalid proto: " + proto)
	}
	if ip != "" && ip[0] == '[' {
		h, _, err := net.SplitHostPort(ip + ":")
		if err != nil {
			return fmt.Errorf("invalid IP address %v: %w", ip, err)
		}
		ip = h
	}
	if ip != "" && net.ParseIP(ip) == nil {
		return errors.New("invalid IP address: " + ip)
	}
	start, end, ok := portRange(port)
	if !ok {
		return errors.New("invalid containerPort: " + port)
	}
	if host != "" {
		hs, he, ok := portRange(host)
		if !ok {
			return errors.New("invalid hostPort: " + host)
		}
		if end-start != he-hs && end != start {
			return errors.New("invalid ranges specified for container and host Ports: " + port + " and " + host)
		}
	}
	return nil
}

// portRange reads a port or a range `start-end` of ports 0–65535.
func portRange(s string) (start, end int, ok bool) {
	a, b, isRange := strings.Cut(s, "-")
	start, ok = portNumber(a)
	if !ok {
		return 0, 0, false
	}
	if !isRange || a == b {
		return start, start, true
	}
	end, ok = portNumber(b)
	if !ok || end < start {
		return 0, 0, false
	}
	return start, end, true
}

func portNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 0)
	if err != nil || n < 0 || n > 65535 {
		return 0, false
	}
	return int(n), true
}
