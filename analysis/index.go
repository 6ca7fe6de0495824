package analysis

import (
	"hash/maphash"
	"iter"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Token is a piece of an instruction: its span and the text it stands for,
// with continuations removed and, for flag and key values, quotes stripped.
type Token struct {
	Span  Span
	Value string
}

// Flag is a `--name=value` option of an instruction.
type Flag struct {
	Span     Span // the whole flag, from the dashes to the end of the value
	Name     Token
	Value    Token // empty Span at the end of the name when there is no value
	HasValue bool
}

// Heredoc is a here-document attached to an instruction.
type Heredoc struct {
	Name       string
	Body       Span // the lines between the opening line and the terminator
	Terminator Span
}

// VarDecl is an ARG or ENV declaration.
type VarDecl struct {
	Name       Token
	Value      Token // empty when there is no default
	HasDefault bool
	IsEnv      bool
}

// VarUse is a `$name` or `${name...}` reference in an instruction.
type VarUse struct {
	Name Token // the name alone, without `$`, braces or modifiers
	Span Span  // the whole use
}

// RefKind tells where a stage reference stands.
type RefKind int

const (
	RefFrom      RefKind = iota // FROM <stage>
	RefCopyFrom                 // COPY --from=<stage> (ADD has no --from)
	RefMountFrom                // RUN --mount=...,from=<stage>
)

func (k RefKind) String() string {
	switch k {
	case RefCopyFrom:
		return "copy-from"
	case RefMountFrom:
		return "mount-from"
	case RefEpoch:
		return "source-date-epoch"
	}
	return "from"
}

// Resolution tells what a stage reference resolves to, as BuildKit decides.
type Resolution int

const (
	ResolvesImage      Resolution = iota // no stage of that name: an image
	ResolvesStage                        // an earlier stage
	ResolvesLaterStage                   // names the current or a later stage: BuildKit fails
	ResolvesOutOfRange                   // a numeric index with no earlier stage
	ResolvesVariable                     // built from variables; known only at build time
	ResolvesEmpty                        // built from variables the defaults leave empty: BuildKit fails
	ResolvesContext                      // a named build context the project gives (Model.ResolveIn)
)

func (r Resolution) String() string {
	return [...]string{"image", "stage", "later-stage", "out-of-range", "variable", "empty", "context"}[r]
}

// Ref is a stage reference as written in an instruction, with what it
// resolves to. Its span is relative to the instruction.
type Ref struct {
	Kind       RefKind
	Value      Token
	Numeric    bool
	Resolution Resolution
	Target     int // the stage it resolves to (or names, for ResolvesLaterStage); -1 otherwise
}

// InstructionError is an error BuildKit reports for one instruction.
type InstructionError struct {
	Span    Span
	Message string
}

// Instruction is one logical instruction: its first line, its continuation
// lines and its heredoc bodies. All spans in it are relative to its start, so
// an edit before it only moves its start; instructions are shared between
// successive indexes and never changed after they are scanned.
type Instruction struct {
	Len     int    // bytes, from the keyword's line start to the end of its last line
	Lines   int    // number of lines it covers
	Cmd     string // the keyword in lower case
	Keyword Token  // as written
	Flags   []Flag
	Args    []Token // words after the flags; a JSON array is one token
	JSON    bool    // the arguments are a JSON array
	Decls   []VarDecl
	Uses    []VarUse
	Refs    []Ref
	// The heredocs and errors, which few instructions have: nil for none.
	rare *rareParts
}

// rareParts holds what few instructions have, apart so that the others
// do not carry its room.
type rareParts struct {
	heredocs []Heredoc
	errors   []InstructionError
	one      [1]Heredoc // room for the usual single heredoc
}

// Heredocs returns the instruction's here-documents, in order.
func (in *Instruction) Heredocs() []Heredoc {
	if in.rare == nil {
		return nil
	}
	return in.rare.heredocs
}

// Errors returns the errors BuildKit reports for the instruction.
func (in *Instruction) Errors() []InstructionError {
	if in.rare == nil {
		return nil
	}
	return in.rare.errors
}

// rareOf returns in's rare parts, made where it has none.
func (in *Instruction) rareOf() *rareParts {
	if in.rare == nil {
		in.rare = new(rareParts)
	}
	return in.rare
}

// Base returns a FROM's base image or stage, its first argument; nil for
// any other instruction or a FROM with none. Base, As and Name point into
// Args: they are read from it, not kept apart.
func (in *Instruction) Base() *Token {
	if in.Cmd != "from" || len(in.Args) == 0 {
		return nil
	}
	return &in.Args[0]
}

// As returns a FROM's `AS` keyword, its second argument in any case; nil
// where there is none.
func (in *Instruction) As() *Token {
	if in.Cmd != "from" || len(in.Args) < 2 || !equalFold(in.Args[1].Value, "as") {
		return nil
	}
	return &in.Args[1]
}

// Name returns a FROM's stage name, the argument after `AS`; nil where
// there is none.
func (in *Instruction) Name() *Token {
	if len(in.Args) < 3 || in.As() == nil {
		return nil
	}
	return &in.Args[2]
}

// Flag returns the instruction's flag called name, or nil.
func (in *Instruction) Flag(name string) *Flag {
	for i := range in.Flags {
		if in.Flags[i].Name.Value == name {
			return &in.Flags[i]
		}
	}
	return nil
}

// Node is an instruction placed in its document.
type Node struct {
	*Instruction
	Index int // position among the document's instructions
	Start int // byte offset of the instruction's first line
}

// Abs converts a span relative to the instruction to a document span.
func (n Node) Abs(s Span) Span { return s.Shift(n.Start) }

// Span returns the instruction's document span.
func (n Node) Span() Span { return Span{n.Start, n.Start + n.Len} }

// Stage is one FROM and the instructions up to the next FROM.
type Stage struct {
	Index      int
	First, End int    // instruction indices [First, End); First is the FROM
	Name       string // as written; "" for an unnamed stage
	NameSpan   Span
	Base       string // as written, variables unexpanded
	BaseSpan   Span
	Platform   string
	BaseStage  int // the earlier stage FROM names, or -1
	Span       Span
}

// LowerName returns the name BuildKit uses for the stage.
func (s *Stage) LowerName() string { return strings.ToLower(s.Name) }

// StageRef is a stage reference placed in the document.
type StageRef struct {
	Kind        RefKind
	Value       string
	Span        Span
	Numeric     bool
	Instruction int // index of the instruction holding it
	Stage       int // the stage holding it, -1 before the first FROM
	Resolution  Resolution
	// Target is the stage it resolves to (or names, for ResolvesLaterStage);
	// for a reference built from variables, the stage the defaults pick;
	// -1 otherwise.
	Target int
	// Pattern indexes the model's patterns for a reference built from
	// variables (ResolvesVariable), else -1.
	Pattern int
	// Onbuild marks a reference in an ONBUILD trigger: Stage is then the
	// stage built FROM the trigger's stage, where it runs.
	Onbuild bool
}

// Directive is a parser directive at the top of the file (`# escape=`, ...).
type Directive struct {
	Name      string // lower case
	Value     string
	Span      Span // the comment, from its `#` to the end of the line
	NameSpan  Span
	ValueSpan Span
}

// Error is a problem in the document, with its span.
type Error struct {
	Span    Span
	Message string
}

// Index is the stage index of one version of a document. It is immutable:
// Update returns a new Index that shares the unchanged instructions.
//
// Instructions are kept in blocks placed by a base offset, and stages by
// instruction numbers, so that an edit copies the blocks it touches and two
// small tables, whatever the file's size. Views that need the whole file
// (Stages, Refs) are built on first use and kept with this version.
type Index struct {
	Doc        *Document
	Escape     byte
	Directives []Directive
	// ParseError is set when BuildKit rejects the text as a whole. The
	// instructions, stages and references are then those of the last text
	// it accepted (Stale), moved through the edits since, for navigation.
	ParseError *Error
	Stale      bool

	blocks []block
	bbase  []int // document offset of each block's base
	bfirst []int // index of each block's first instruction
	n      int
	stages []stageRec
	byName map[string][]int // lower-case stage name to its stages, in order
	loneCR bool             // a "\r" alone ends a line for the protocol but not for BuildKit

	stagesOnce sync.Once
	stageViews atomic.Pointer[StageViews] // set once Stages has built them
	carried    *carriedViews              // the last version's views, for Stages to move into place
	ver        uint64                     // this version's number when spliced (versions), else 0
	keptFroms  *keptFroms                 // set when spliced from a version whose model was read, touching no FROM
	modelOnce  sync.Once
	model      *Model
	modelSeed  atomic.Pointer[modelSeed] // this version's model reading once built, else an earlier version's
	runs       runMemo
}

// block is a run of instructions with their starts relative to its base.
type block struct {
	insts  []*Instruction
	starts []int
}

// blockSize is the number of instructions a block is cut to.
const blockSize = 128

type stageRec struct {
	first, end int
}

// Len returns the number of instructions.
func (ix *Index) Len() int { return ix.n }

// LoneCR reports whether a "\r" alone ends a line of the document, which
// ends a line for the protocol but not for BuildKit.
func (ix *Index) LoneCR() bool { return ix.loneCR }

func (ix *Index) blockOf(i int) int { return sort.SearchInts(ix.bfirst, i+1) - 1 }

// Node returns instruction i in place.
func (ix *Index) Node(i int) Node {
	k := ix.blockOf(i)
	j := i - ix.bfirst[k]
	return Node{ix.blocks[k].insts[j], i, ix.bbase[k] + ix.blocks[k].starts[j]}
}

func (ix *Index) inst(i int) *Instruction {
	k := ix.blockOf(i)
	return ix.blocks[k].insts[i-ix.bfirst[k]]
}

// start returns the offset of instruction i.
func (ix *Index) start(i int) int {
	k := ix.blockOf(i)
	return ix.bbase[k] + ix.blocks[k].starts[i-ix.bfirst[k]]
}

// search returns the number of instructions that start at or before off.
func (ix *Index) search(off int) int {
	k := sort.Search(len(ix.blocks), func(k int) bool { return ix.bbase[k]+ix.blocks[k].starts[0] > off }) - 1
	if k < 0 {
		return 0
	}
	b := ix.blocks[k]
	return ix.bfirst[k] + sort.Search(len(b.starts), func(j int) bool { return ix.bbase[k]+b.starts[j] > off })
}

// NodeAt returns the instruction whose span contains off, if any.
func (ix *Index) NodeAt(off int) (Node, bool) {
	n, ok := ix.NodeBefore(off)
	if !ok || off > n.Start+n.Len {
		return Node{}, false
	}
	return n, true
}

// NodeBefore returns the last instruction that starts at or before off.
func (ix *Index) NodeBefore(off int) (Node, bool) {
	i := ix.search(off) - 1
	if i < 0 {
		return Node{}, false
	}
	return ix.Node(i), true
}

// StageOf returns the index of the stage holding instruction i, or -1 for
// instructions before the first FROM.
func (ix *Index) StageOf(i int) int {
	return sort.Search(len(ix.stages), func(k int) bool { return ix.stages[k].first > i }) - 1
}

// StageAt returns the stage whose span contains off, or -1.
func (ix *Index) StageAt(off int) int {
	n, ok := ix.NodeBefore(off)
	if !ok {
		return -1
	}
	return ix.StageOf(n.Index)
}

// StageCount returns the number of stages.
func (ix *Index) StageCount() int { return len(ix.stages) }

// Stage returns stage s.
func (ix *Index) Stage(s int) Stage {
	rec := ix.stages[s]
	from := ix.Node(rec.first)
	st := Stage{Index: s, First: rec.first, End: rec.end, BaseStage: -1}
	if name := from.Name(); name != nil {
		st.Name, st.NameSpan = name.Value, from.Abs(name.Span)
	}
	if base := from.Base(); base != nil {
		st.Base, st.BaseSpan = base.Value, from.Abs(base.Span)
	}
	if f := from.Flag("platform"); f != nil {
		st.Platform = f.Value.Value
	}
	for _, r := range from.Refs {
		if r.Kind == RefFrom && r.Resolution == ResolvesStage {
			st.BaseStage = r.Target
		}
	}
	last := ix.Node(rec.end - 1)
	st.Span = Span{from.Start, last.Start + last.Len}
	return st
}

// Stages returns every stage's view, in order.
func (ix *Index) Stages() StageViews {
	if v := ix.stageViews.Load(); v != nil {
		return *v
	}
	ix.stagesOnce.Do(func() {
		var views StageViews
		if c := ix.carried; c != nil {
			views = c.moved(ix)
			ix.carried = nil
		} else {
			views = ix.readViews()
		}
		ix.stageViews.Store(&views)
	})
	return *ix.stageViews.Load()
}

// StageViews are the stage views of one version. They are kept in blocks
// of viewBlockSize stages, each placed by an instruction shift and a byte
// delta, so that a version carried from the last one (an edit that touched
// no FROM) copies the block it edited and the table of blocks, not every
// later stage. The zero value holds no stage.
type StageViews struct {
	blocks []viewBlock
	n      int
	names  uint64 // NamesSum
}

// viewBlock is up to viewBlockSize stage views as some version read them,
// with their spans beside them (read by Span without touching the
// views), and what moves them into place in this one: instruction numbers
// by shift, offsets by delta (an absent span stays absent).
type viewBlock struct {
	views        []Stage
	spans        []Span
	shift, delta int
}

// viewBlockSize is the number of stage views a block holds.
const viewBlockSize = 32

// Len returns the number of stages.
func (v StageViews) Len() int { return v.n }

// At returns stage s's view.
func (v StageViews) At(s int) Stage {
	b := &v.blocks[s/viewBlockSize]
	st := b.views[s%viewBlockSize]
	if b.shift != 0 || b.delta != 0 {
		st.move(b.shift, b.delta)
	}
	return st
}

// Span returns stage s's span: At(s).Span, without copying the view.
func (v StageViews) Span(s int) Span {
	b := &v.blocks[s/viewBlockSize]
	sp := b.spans[s%viewBlockSize]
	return Span{sp.Start + b.delta, sp.End + b.delta} // a stage's span is never absent
}

// Starts sets dst[s] to the start of stage s's span, for every stage;
// dst holds Len() elements.
func (v StageViews) Starts(dst []int) {
	s := 0
	for k := range v.blocks {
		b := &v.blocks[k]
		for _, sp := range b.spans {
			dst[s] = sp.Start + b.delta
			s++
		}
	}
}

// Ends sets dst[s] to the end of stage s's span, for every stage; dst
// holds Len() elements.
func (v StageViews) Ends(dst []int) {
	s := 0
	for k := range v.blocks {
		b := &v.blocks[k]
		for _, sp := range b.spans {
			dst[s] = sp.End + b.delta
			s++
		}
	}
}

// NamesSum is a hash of every stage's name as written, in order: two
// versions of a document (in one process) with the same names have the
// same sum, and two with different names, but for a 64-bit collision,
// different sums. A version carried from the last one (an edit that
// touched no FROM) takes the last one's sum without reading the names.
func (v StageViews) NamesSum() uint64 { return v.names }

// All yields every stage's number and view, in order.
func (v StageViews) All() iter.Seq2[int, Stage] {
	return func(yield func(int, Stage) bool) {
		for s := range v.n {
			if !yield(s, v.At(s)) {
				return
			}
		}
	}
}

// Slice returns a copy of every stage's view, in order.
func (v StageViews) Slice() []Stage {
	out := make([]Stage, v.n)
	for s := range out {
		out[s] = v.At(s)
	}
	return out
}

// move moves st by shift instructions and delta bytes.
func (st *Stage) move(shift, delta int) {
	move := func(sp Span) Span {
		if sp == (Span{}) { // absent (a later stage starts past offset 0)
			return sp
		}
		return Span{sp.Start + delta, sp.End + delta}
	}
	st.First += shift
	st.End += shift
	st.NameSpan, st.BaseSpan, st.Span = move(st.NameSpan), move(st.BaseSpan), move(st.Span)
}

// readViews reads every stage's view.
func (ix *Index) readViews() StageViews {
	n := len(ix.stages)
	all := make([]Stage, n)
	for s := range all {
		all[s] = ix.Stage(s)
	}
	spans := make([]Span, n)
	var h maphash.Hash
	h.SetSeed(namesSeed)
	for s := range all {
		spans[s] = all[s].Span
		h.WriteString(all[s].Name)
		h.WriteByte(0)
	}
	v := StageViews{blocks: make([]viewBlock, 0, (n+viewBlockSize-1)/viewBlockSize), n: n, names: h.Sum64()}
	for k := 0; k < n; k += viewBlockSize {
		e := min(k+viewBlockSize, n)
		v.blocks = append(v.blocks, viewBlock{views: all[k:e:e], spans: spans[k:e:e]})
	}
	return v
}

// namesSeed seeds NamesSum.
var namesSeed = maphash.MakeSeed()

// versions numbers the indexes spliced, so that a model seed can tell the
// version it read.
var versions atomic.Uint64

// keptFroms tells the model that the index was spliced, touching no FROM
// (or re-reading one as it was), from the version seed read: every stage
// has the FROM text and name it had there; the FROMs after stage s (-1: the edit lies before the first FROM)
// moved by delta bytes.
type keptFroms struct {
	seed  *modelSeed
	s     int
	delta int
	// lo and hi bound the instructions of the blocks the splice cut
	// again (their numbers in the new index): every instruction outside
	// them is the seed's version's, in the same place of the same block.
	// Those before at, the first the edit replaced, are the seed's
	// version's at the same numbers and offsets; those from after on
	// (after the ones the edit replaced), the seed's moved.
	lo, hi, at, after int
}

// carriedViews are the stage views of the version an edit that touched no
// FROM was spliced into: stage s holds the edit (-1: the edit lies before
// the first FROM), the stages after it moved by shift instructions and
// delta bytes.
type carriedViews struct {
	views        StageViews
	s            int
	shift, delta int
}

// moved returns the carried views as ix's: the blocks before the edited
// stage's as they were, the edited stage's block copied (its stages before
// the edited one as they were, the edited one read again, the later ones
// moved), the later blocks shared and placed anew.
func (c *carriedViews) moved(ix *Index) StageViews {
	old := c.views
	v := StageViews{blocks: make([]viewBlock, len(old.blocks)), n: old.n, names: old.names} // no name changed
	copy(v.blocks, old.blocks)
	k := -1 // the edited stage's block
	if c.s >= 0 {
		k = c.s / viewBlockSize
		ob := old.blocks[k]
		views := make([]Stage, len(ob.views))
		for j := range views {
			s := k*viewBlockSize + j
			switch {
			case s < c.s:
				views[j] = old.At(s)
			case s == c.s:
				views[j] = ix.Stage(s)
			default:
				views[j] = old.At(s)
				views[j].move(c.shift, c.delta)
			}
		}
		spans := make([]Span, len(views))
		for j := range views {
			spans[j] = views[j].Span
		}
		v.blocks[k] = viewBlock{views: views, spans: spans}
	}
	for b := k + 1; b < len(v.blocks); b++ {
		v.blocks[b].shift += c.shift
		v.blocks[b].delta += c.delta
	}
	return v
}

// Refs returns every stage reference of the build model, in document
// order: those in instructions, those of ONBUILD triggers (once per stage
// that runs them) and a global `ARG SOURCE_DATE_EPOCH=<stage>`.
func (ix *Index) Refs() []StageRef { return ix.Model().Refs() }

// StageByName returns the stage BuildKit picks for name as a build target
// or a `--from`, comparing case-insensitively: the last stage of that name.
// It returns -1 when no stage has the name.
func (ix *Index) StageByName(name string) int {
	if ss := ix.byName[strings.ToLower(name)]; len(ss) > 0 {
		return ss[len(ss)-1]
	}
	return -1
}

// StagesNamed returns every stage called name (case-insensitively), in
// order.
func (ix *Index) StagesNamed(name string) []int { return ix.byName[strings.ToLower(name)] }

// Errors returns the parse error and every instruction error, in document
// order.
func (ix *Index) Errors() []Error {
	var errs []Error
	if ix.ParseError != nil {
		errs = append(errs, *ix.ParseError)
		if ix.Stale {
			return errs
		}
	}
	for i := 0; i < ix.n; i++ {
		n := ix.Node(i)
		for _, e := range n.Errors() {
			errs = append(errs, Error{Span: n.Abs(e.Span), Message: e.Message})
		}
	}
	return errs
}
