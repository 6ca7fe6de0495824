package analysis

import (
	"bufio"
	"errors"
	"slices"
	"strings"
	"unicode"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Parse builds the index of doc from scratch.
func Parse(doc *Document) *Index {
	ix, err := parseFull(doc)
	if err != nil {
		return &Index{Doc: doc, Escape: '\\', ParseError: err, Directives: scanDirectives(doc.Text())}
	}
	return ix
}

// parseFull parses the whole text, or returns BuildKit's error for it.
func parseFull(doc *Document) (*Index, *Error) {
	text := doc.Text()
	// Without a lone "\r", the document's lines are the ones BuildKit
	// counts: its table is read, not found again.
	loneCR := !doc.noCR && hasLoneCR(text)
	var src sourceLines
	if loneCR {
		src = newSourceLines(text)
	} else {
		src = sourceLinesAt(text, doc.lineOffsets())
	}
	// Each group is checked and scanned as the grouper reads it.
	guess := len(src.start)/2 + 1 // most files hold fewer instructions than this
	insts := make([]*Instruction, 0, guess)
	starts := make([]int, 0, guess)
	var v *validator
	r := newGroupReader(src, '\\')
	var g group // on the stack: cleared for each group without write barriers
	froms := 0
	for r.next(&g) {
		if v == nil {
			v = newValidator(src, r.esc, 0)
		}
		in, ok := v.instruction(&g)
		if !ok {
			return parseWithBuildKit(doc, src)
		}
		if in.Cmd == "from" {
			froms++
		}
		insts, starts = append(insts, in), append(starts, src.start[g.first])
	}
	if !r.ok() {
		return parseWithBuildKit(doc, src)
	}
	esc := r.esc
	ix := &Index{Doc: doc, Escape: esc, Directives: scanDirectives(text)}
	ix.loneCR = loneCR
	ix.appendOwnBlocks(insts, starts, 0)
	ix.linkFresh(froms)
	return ix, nil
}

// parseWithBuildKit parses the whole text with BuildKit's parser: for the
// texts the grouper leaves to it, and as the oracle the grouper is tested
// against.
func parseWithBuildKit(doc *Document, src sourceLines) (*Index, *Error) {
	res, err := parser.Parse(strings.NewReader(src.text))
	if err != nil {
		return nil, locateError(src, 0, err)
	}
	ix := &Index{Doc: doc, Escape: byte(res.EscapeToken), Directives: scanDirectives(src.text)}
	ix.loneCR = hasLoneCR(src.text)
	insts := make([]*Instruction, 0, len(res.AST.Children))
	starts := make([]int, 0, len(res.AST.Children))
	for _, node := range res.AST.Children {
		insts = append(insts, nodeInstruction(src, node, ix.Escape))
		starts = append(starts, src.start[node.StartLine-1])
	}
	ix.appendOwnBlocks(insts, starts, 0)
	ix.link()
	return ix, nil
}

// nodeInstruction scans the instruction BuildKit's parser read as node and
// collects the errors its instruction parser reports for it.
func nodeInstruction(src sourceLines, node *parser.Node, esc byte) *Instruction {
	in := scanInstruction(src, node.StartLine-1, node.EndLine-1, esc, node.Heredocs)
	if _, err := instructions.ParseInstructionWithLinter(node, quietLinter); err != nil {
		r := in.rareOf()
		r.errors = append(r.errors, in.errorFor(err))
	}
	return in
}

// validator checks instructions as BuildKit's instruction parser does. It
// vouches itself for the common shapes it can decide exactly, and asks
// BuildKit about the rest, each distinct instruction once.
type validator struct {
	src   sourceLines
	esc   byte
	seen  map[string]error
	arena *arena
}

// newValidator returns a validator for n instructions of src.
func newValidator(src sourceLines, esc byte, n int) *validator {
	return &validator{src: src, esc: esc, arena: newArena(n, len(src.start))}
}

// instruction scans the instruction of group g and finds its error, if
// any; false when BuildKit's parser does not read g as one instruction.
func (v *validator) instruction(g *group) (*Instruction, bool) {
	ok, err := v.check(g)
	if !ok {
		return nil, false
	}
	in := scanGroup(v.src, g, v.esc, v.arena)
	if err != nil {
		r := in.rareOf()
		r.errors = append(r.errors, in.errorFor(err))
	}
	return in, true
}

// check returns the error BuildKit's instruction parser reports for g;
// false when BuildKit's parser does not read g as one instruction.
func (v *validator) check(g *group) (bool, error) {
	if g.valid() {
		return true, nil
	}
	var key string
	var node *parser.Node
	if g.lcmd == "run" {
		// RUN's errors come from its flags alone.
		key = "run\x00" + strings.Join(g.flags, "\x00")
		node = &parser.Node{Value: g.cmd, Flags: g.flags, Next: &parser.Node{Value: "true"}}
	} else {
		key = v.src.text[v.src.start[g.first] : v.src.start[g.last]+len(v.src.raw(g.last))]
	}
	if err, ok := v.seen[key]; ok {
		return true, err
	}
	if node == nil {
		nodes, ok := parseFragment(key, v.esc)
		if !ok || len(nodes) != 1 {
			return false, nil
		}
		node = nodes[0]
	}
	_, err := instructions.ParseInstructionWithLinter(node, quietLinter)
	if v.seen == nil {
		v.seen = map[string]error{}
	}
	v.seen[key] = err
	return true, err
}

// quietLinter reports nothing. ParseInstruction passes a nil linter, on
// which BuildKit dereferences nil when a `# check=` comment precedes the
// instruction.
var quietLinter = linter.New(&linter.Config{})

// errorFor places an instruction error on the part of the instruction it
// is about: an unknown instruction on its keyword, a flag error on the flag,
// a stage-name error on the name, anything else on the whole first line.
func (in *Instruction) errorFor(err error) InstructionError {
	msg := errorMessage(err)
	var unknown *instructions.UnknownInstructionError
	switch {
	case errors.As(err, &unknown):
		// BuildKit's own suggestion breaks ties by map order; ours is stable.
		msg = "unknown instruction: " + in.Keyword.Value
		if s := Suggest(in.Keyword.Value, instructionNames, false); s != "" {
			if in.Keyword.Value == strings.ToUpper(in.Keyword.Value) {
				s = strings.ToUpper(s)
			}
			msg += " (did you mean " + s + "?)"
		}
		return InstructionError{Span: in.Keyword.Span, Message: msg}
	case strings.Contains(msg, "invalid name for build stage") && in.Name() != nil:
		return InstructionError{Span: in.Name().Span, Message: msg}
	case strings.HasPrefix(msg, "unknown flag: "):
		msg = StableSuggestion(msg, in.Cmd)
		fallthrough
	case strings.Contains(msg, "flag"):
		for _, f := range in.Flags {
			if strings.Contains(msg, f.Name.Value) {
				return InstructionError{Span: f.Span, Message: msg}
			}
		}
	}
	end := in.Keyword.Span.End
	for _, f := range in.Flags {
		end = max(end, f.Span.End)
	}
	for _, a := range in.Args {
		end = max(end, a.Span.End)
	}
	return InstructionError{Span: Span{in.Keyword.Span.Start, end}, Message: msg}
}

// errorMessage strips the stack and location wrappers BuildKit adds.
func errorMessage(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "\n"); i >= 0 {
		msg = msg[:i]
	}
	return strings.ToValidUTF8(msg, "\uFFFD")
}

// locateError turns a parser error into a span over the lines it names;
// lineBase is the number of the text's first line in the document's
// "\n"-counted lines.
func locateError(src sourceLines, offsetBase int, err error) *Error {
	msg := errorMessage(err)
	var le *parser.LocationError
	first, last := len(src.start)-1, len(src.start)-1
	if errors.As(err, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
		loc := le.Locations[0]
		first = loc[0].Start.Line - 1
		last = loc[len(loc)-1].End.Line - 1
	}
	if strings.Contains(msg, "line greater than max allowed size") {
		// BuildKit stops reading at the long line and reports the one before.
		for k := range src.start {
			if len(src.line(k)) >= bufio.MaxScanTokenSize-1 {
				first, last = k, k
				break
			}
		}
	}
	first = max(0, min(first, len(src.start)-1))
	last = max(first, min(last, len(src.start)-1))
	start := src.start[first]
	end := src.start[last] + len(src.line(last))
	// A location past the text's last line points at nothing: show the end.
	return &Error{Span: Span{offsetBase + start, offsetBase + end}, Message: msg}
}

func hasLoneCR(s string) bool {
	for i := strings.IndexByte(s, '\r'); i >= 0; {
		if i+1 >= len(s) || s[i+1] != '\n' {
			return true
		}
		j := strings.IndexByte(s[i+1:], '\r')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// directiveLine reads line as BuildKit's DirectiveParser does, without
// its regular expression: a `#`, Unicode blanks, then `name = value` as
// the pattern `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` matches it, where
// \s is one of "\t\n\f\r ". It returns where the name and the value
// stand in line; false when the line is no directive of that shape. The
// lazy value ends before the blanks that end the line, but holds one
// character at least: after `name=` and blanks alone, it is the last blank.
func directiveLine(line string) (name, value Span, ok bool) {
	if !strings.HasPrefix(line, "#") {
		return Span{}, Span{}, false
	}
	rest := trimLeftSpace(line[1:])
	at := len(line) - len(rest)
	i := 0
	if i == len(rest) || !isASCIILetter(rest[i]) {
		return Span{}, Span{}, false
	}
	for i++; i < len(rest) && (isASCIILetter(rest[i]) || '0' <= rest[i] && rest[i] <= '9'); i++ {
	}
	name = Span{at, at + i}
	for i < len(rest) && isRESpace(rest[i]) {
		i++
	}
	if i == len(rest) || rest[i] != '=' {
		return Span{}, Span{}, false
	}
	i++
	if i == len(rest) {
		return Span{}, Span{}, false
	}
	j := i
	for j < len(rest) && isRESpace(rest[j]) {
		j++
	}
	if j == len(rest) {
		return name, Span{at + len(rest) - 1, at + len(rest)}, true
	}
	k := len(rest)
	for isRESpace(rest[k-1]) {
		k--
	}
	return name, Span{at + j, at + k}, true
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isRESpace is \s of Go's regular expressions.
func isRESpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// directiveParser reads the parser directives of a text line by line, as
// BuildKit's DirectiveParser does: the first line that is no directive it
// knows (syntax, escape, check) ends them, and a directive given twice is
// an error.
type directiveParser struct {
	seen [3]bool
	done bool
}

// directiveNames are the directives BuildKit knows.
var directiveNames = [3]string{"syntax", "escape", "check"}

// parseLine reads the next line. It returns the directive's name (lower
// case), its value, and where both stand in line; found is false where
// the line is no directive (BuildKit's parser answers nil), err is true
// where BuildKit's parser answers an error.
func (p *directiveParser) parseLine(line string) (d Directive, found, err bool) {
	if p.done {
		return Directive{}, false, false
	}
	ns, vs, ok := directiveLine(line)
	known := -1
	if ok {
		for k, n := range directiveNames {
			if ns.Len() == len(n) && asciiEqualFold(line[ns.Start:ns.End], n) {
				known = k
			}
		}
	}
	if known < 0 {
		p.done = true
		return Directive{}, false, false
	}
	if p.seen[known] {
		return Directive{}, false, true
	}
	p.seen[known] = true
	return Directive{Name: directiveNames[known], Value: line[vs.Start:vs.End], NameSpan: ns, ValueSpan: vs}, true, false
}

// scanDirectives reads the parser directives at the top of text that
// BuildKit acts on, in document order. BuildKit reads them two ways, and
// each directive is read as its reader does: `escape` by the parser, which
// left-trims each line (Unicode spaces) and stops at the first line that
// is no directive; `syntax` (the builder's DetectSyntax) and `check` (the
// linter's ParseDirective) from the lines as they are, past a shebang
// line, stopping at the first line that does not start with `#` and is no
// directive. directiveParser decides, line by line, as BuildKit's
// DirectiveParser does.
func scanDirectives(text string) []Directive {
	body := 0
	if strings.HasPrefix(text, "\uFEFF") {
		body = len("\uFEFF")
	}
	var ds []Directive
	// walk reads the directive lines from off on, left-trimmed or as they
	// are, keeping those named in keep.
	walk := func(off int, trim bool, keep func(name string) bool) {
		var p directiveParser
		for off < len(text) {
			end := strings.IndexByte(text[off:], '\n')
			if end < 0 {
				end = len(text)
			} else {
				end += off
			}
			line := trimEOL(text[off:end])
			t := line
			if trim {
				t = trimLeftSpace(line)
			}
			d, found, err := p.parseLine(t)
			if !found || err {
				return
			}
			if keep(d.Name) {
				hash := off + len(line) - len(t)
				d.Span = Span{hash, off + len(line)}
				d.NameSpan = d.NameSpan.Shift(hash)
				d.ValueSpan = d.ValueSpan.Shift(hash)
				ds = append(ds, d)
			}
			off = end + 1
		}
	}
	walk(body, true, func(name string) bool { return name == "escape" })
	if line := text[body:]; strings.HasPrefix(line, "#!") {
		if end := strings.IndexByte(line, '\n'); end >= 0 {
			body += end + 1
		} else {
			body = len(text)
		}
	}
	walk(body, false, func(name string) bool { return name != "escape" })
	slices.SortFunc(ds, func(a, b Directive) int { return a.Span.Start - b.Span.Start })
	return ds
}

// appendBlocks cuts instructions, with their document offsets less delta,
// into blocks placed after the index's last one.
func (ix *Index) appendBlocks(insts []*Instruction, starts []int, delta int) {
	ix.appendOwnBlocks(insts, slices.Clone(starts), delta)
}

// appendOwnBlocks is appendBlocks for a list of offsets no one else holds:
// the blocks' offsets are written over it.
func (ix *Index) appendOwnBlocks(insts []*Instruction, starts []int, delta int) {
	for i := 0; i < len(insts); i += blockSize {
		j := min(i+blockSize, len(insts))
		base := starts[i]
		for k := i; k < j; k++ {
			starts[k] -= base
		}
		ix.blocks = append(ix.blocks, block{insts: insts[i:j:j], starts: starts[i:j:j]})
		ix.bbase = append(ix.bbase, base+delta)
		ix.bfirst = append(ix.bfirst, ix.n)
		ix.n += j - i
	}
}

// link derives the stages from the instructions and resolves every
// reference. An instruction whose resolution changes is copied, never
// changed in place: earlier indexes may share it.
func (ix *Index) link() {
	ix.linkStages(-1)
	for k := range ix.blocks {
		ix.resolveBlock(k, 0, len(ix.blocks[k].insts))
	}
}

// linkFresh is link for instructions no other index shares, which it
// resolves in place; froms is the number of FROMs among them.
func (ix *Index) linkFresh(froms int) {
	ix.linkStages(froms)
	cur := -1 // the stage in force: StageOf, counting the FROMs
	for _, b := range ix.blocks {
		for _, in := range b.insts {
			if in.Cmd == "from" {
				cur++
			}
			for r := range in.Refs {
				in.Refs[r].Resolution, in.Refs[r].Target = resolve(in.Refs[r], cur, len(ix.stages), ix.byName)
			}
		}
	}
}

// linkStages derives the stages from the instructions, n of which are
// FROMs (-1: not counted yet).
func (ix *Index) linkStages(n int) {
	if n < 0 {
		n = 0
		for _, b := range ix.blocks {
			for _, in := range b.insts {
				if in.Cmd == "from" {
					n++
				}
			}
		}
	}
	ix.stages = nil
	if n > 0 {
		ix.stages = make([]stageRec, 0, n)
	}
	ix.byName = make(map[string][]int, n)
	// A name's first stage is a list cut from one array; a name given
	// again grows its own.
	firsts := make([]int, n)
	i := 0
	for _, b := range ix.blocks {
		for _, in := range b.insts {
			if in.Cmd == "from" {
				if n := len(ix.stages); n > 0 {
					ix.stages[n-1].end = i
				}
				if name := in.Name(); name != nil {
					// Names are mostly new: one store, and a name given
					// again is seen by the map not growing.
					k := lower(name.Value)
					s := len(ix.stages)
					firsts[s] = s
					had := len(ix.byName)
					ix.byName[k] = firsts[s : s+1 : s+1]
					if len(ix.byName) == had {
						ix.byName[k] = append(ix.stagesNamed(k, s), s)
					}
				}
				ix.stages = append(ix.stages, stageRec{first: i})
			}
			i++
		}
	}
	if n := len(ix.stages); n > 0 {
		ix.stages[n-1].end = ix.n
	}
}

// stagesNamed returns the stages before stage s, all registered, whose
// lower-case name is k.
func (ix *Index) stagesNamed(k string, s int) []int {
	var ss []int
	for t := range s {
		if name := ix.inst(ix.stages[t].first).Name(); name != nil && lower(name.Value) == k {
			ss = append(ss, t)
		}
	}
	return ss
}

// resolveBlock resolves the references of instructions [from, to) of block
// k, copying the block's list and any instruction whose answer changes.
func (ix *Index) resolveBlock(k, from, to int) {
	b := &ix.blocks[k]
	copied := false
	for j := from; j < to; j++ {
		in := b.insts[j]
		if len(in.Refs) == 0 {
			continue
		}
		cur := ix.StageOf(ix.bfirst[k] + j)
		var refs []Ref
		for r, ref := range in.Refs {
			res, target := resolve(ref, cur, len(ix.stages), ix.byName)
			if res == ref.Resolution && target == ref.Target {
				continue
			}
			if refs == nil {
				refs = append([]Ref(nil), in.Refs...)
			}
			refs[r].Resolution, refs[r].Target = res, target
		}
		if refs == nil {
			continue
		}
		if !copied {
			b.insts = append([]*Instruction(nil), b.insts...)
			copied = true
		}
		clone := *in
		clone.Refs = refs
		b.insts[j] = &clone
	}
}

// resolve decides what a reference in stage cur names, as BuildKit's
// dockerfile2llb does. A FROM base is looked up, exactly as written, among
// the names of the stages before it (BuildKit registers a stage's name only
// after resolving its base, and stores names in lower case), the latest one
// of that name winning: `FROM alpine AS alpine` is the image. A `--from`
// is looked up case-insensitively once every stage is registered, so the
// last stage of that name wins, wherever it stands; in COPY and ADD (not in
// a mount) a number counts stages from 0. Anything else is an image.
func resolve(r Ref, cur, nstages int, byName map[string][]int) (Resolution, int) {
	v := r.Value.Value
	if strings.Contains(v, "$") {
		return ResolvesVariable, -1
	}
	if r.Kind == RefFrom {
		if t := latestBefore(byName[v], cur); t >= 0 {
			return ResolvesStage, t
		}
		return ResolvesImage, -1
	}
	if r.Numeric && r.Kind == RefCopyFrom {
		// A mount's from= is looked up by name only: `from=0` is an image.
		n := atoi(v)
		switch {
		case n >= 0 && n < cur:
			return ResolvesStage, n
		case n >= 0 && n < nstages:
			return ResolvesLaterStage, n
		}
		return ResolvesOutOfRange, -1
	}
	if ss := byName[lower(v)]; len(ss) > 0 {
		t := ss[len(ss)-1]
		if t < cur {
			return ResolvesStage, t
		}
		return ResolvesLaterStage, t
	}
	return ResolvesImage, -1
}

// latestBefore returns the last of the ascending stages ss that comes
// before stage cur, or -1.
func latestBefore(ss []int, cur int) int {
	t := -1
	for _, s := range ss {
		if s >= cur {
			break
		}
		t = s
	}
	return t
}

func atoi(s string) int {
	n := 0
	neg := strings.HasPrefix(s, "-")
	for _, c := range strings.TrimLeft(s, "+-") {
		if !unicode.IsDigit(c) {
			return -1
		}
		n = n*10 + int(c-'0')
		if n > 1<<30 {
			return -1
		}
	}
	if neg {
		return -1 - n
	}
	return n
}
