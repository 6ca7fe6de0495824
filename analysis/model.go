package analysis

import (
	"iter"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// The build model is what the Dockerfile of one index builds: every stage
// reference with what it resolves to, the patterns of references built
// from variables, the global ARG values and which stages a build reaches.
// It is computed once per index, on first use (from the previous version's
// reading of the stages an edit left alone, see modelSeed), and read by
// every feature (navigation, rules, graph, lenses, hints), so that they
// cannot disagree.
//
// Resolution follows BuildKit's dockerfile2llb:
//   - a FROM base is expanded with the global ARGs, then looked up exactly
//     among the (lower-case) names of the stages before it, the latest
//     winning; otherwise it is an image (`FROM alpine AS alpine` too);
//   - a `--from` (COPY, ADD, RUN --mount) is looked up case-insensitively
//     among every stage, the last of a name winning, or by index; it must
//     name an earlier stage; variables are not expanded there (BuildKit
//     rejects them), so the model keeps them as a pattern;
//   - an ONBUILD trigger's `--from` resolves in each stage built FROM the
//     trigger's stage;
//   - `ARG SOURCE_DATE_EPOCH=<stage>` before the first FROM names a stage.

// RefEpoch is a global `ARG SOURCE_DATE_EPOCH=<stage>`.
const RefEpoch RefKind = RefMountFrom + 1

// Pattern is a stage reference built from variables, such as
// `base-${TARGETARCH}`: the stages its variables can make it name,
// whatever values they take. References with the same text and kind share
// one pattern, so a graph holds one node per pattern, not an edge per
// candidate.
type Pattern struct {
	Value string
	Kind  RefKind
	// Stages are the stages the pattern can name, in order: by name, and
	// for a `--from` also by index.
	Stages []int
}

// Model is the build model of one index.
type Model struct {
	ix       *Index
	ownVals  bool // seed.vals is this model's, while it is built (canonical)
	patterns []Pattern
	vars     *varCache
	view     *buildView // set on a Build's model (Model.In), which holds only a build state
	// prevVars are the walks of the last version's model, whose stages
	// ending at instruction walkBelow or before hold the same
	// instructions at the same places (carryModel): their walks serve.
	prevVars  *varCache
	walkBelow int
	// walkAfter, when above 0, is the first instruction after those the
	// edit replaced: a stage whose instructions after its FROM start
	// there or later, built on such stages only, moved with them, and the
	// last version's walk serves, moved (movedWalk).
	walkAfter int
	// The references, by where they stand: those before the first FROM
	// in place; each stage's in its reading (parts, relative to the
	// stage's FROM at offset offs), the pattern of each of its references
	// built from variables at patIDs[patAt[s]:]; the ONBUILD triggers run
	// in each stage in place (into, nil when there are none). Only Refs
	// lists them all, on first use: an edit's model copies no reference
	// of the stages it left alone.
	pre      []StageRef
	parts    partTable
	has      []uint32 // each part's has, side by side: readers that skip stages read no part
	offs     stageOffsets
	patAt    []int
	patIDs   []int
	into     [][]StageRef
	refsOnce sync.Once
	refs     []StageRef

	seed    *modelSeed // this model's reading, for the next version's
	bases   []int      // baseOf each stage, once the references are all in
	carried bool       // built by carryModel, from the last version's arrays

	usersOnce  sync.Once
	direct     [][]int // stages whose references resolve to each stage
	inPatterns [][]int // patterns that can name each stage
	holders    [][]int // stages holding each pattern, in order
}

// Model returns the build model of the index, computing it on first use
// from the reading of the model of an earlier version where it can (see
// modelSeed).
func (ix *Index) Model() *Model {
	ix.modelOnce.Do(func() {
		ix.model = buildModel(ix, ix.modelSeed.Load())
		ix.modelSeed.Store(ix.model.seed)
	})
	return ix.model
}

// modelSeed is what a model leaves to the models of later versions: its
// reading of each stage, and what those readings depend on besides the
// stage's own instructions. It holds instructions, never an index or a
// text, so a version keeps no older one alive.
//
// A stage's references are what its instructions hold (the index keeps
// their resolutions right for the place they stand in), placed in the
// stage, plus, for one built from variables, the stage the defaults pick.
// That pick reads the global ARGs (the instructions before the first FROM,
// under the escape character, and TARGETSTAGE, the last stage's name), the
// stage names and count, and for a `--from` the variables of the stage and
// of those it is built on. So a stage's reading is reused when its
// instructions are the same pointers at the same stage number, and the
// escape, the instructions before the first FROM and the stage names are
// unchanged; a stage holding an ONBUILD (its triggers' references are
// resolved in the stages built on it) or a `--from` built from variables is
// read again every time.
type modelSeed struct {
	escape byte
	pre    []*Instruction // the instructions before the first FROM
	names  []string       // each stage's lower-case name, "" for none
	froms  []*Instruction // each stage's FROM, which names (or one of the same text, kept from an earlier version)
	offs   stageOffsets   // each stage's FROM's offset
	ver    uint64         // the version of the index read (Index.ver)
	parts  partTable
	// pieces are each stage's instructions, FROM first, as the pieces of
	// the index's blocks that hold them (never copies): a block's array is
	// never changed once an index holds it (an instruction whose
	// resolution changes is copied into a new array), so a piece that is
	// the same part of the same array holds the same instructions, and
	// the check costs a comparison per block, not per instruction.
	pieces [][][]*Instruction
	// piecesTaken is set by the one later model that reads pieces: it
	// takes the array over (writing its own stages' pieces into it, which
	// saves an array a version) when it has as many stages, so another
	// model built from this seed (of an older version, read later) must
	// not read them, and reads its stages afresh.
	piecesTaken atomic.Bool
	// patAt and bases are the model's arrays (Model.patAt, Model.bases),
	// never written once built: the next model shares them while its
	// values are the same (see setShared).
	patAt, bases []int
	// has is the model's Model.has; sizes holds, for each stage whose
	// reading the next model may reuse (stagePart.reuse), its number of
	// instructions, else -1: the next model tells the stages it reuses,
	// and what they hold, without reading their parts.
	has   []uint32
	sizes []int32
	// patterns holds the stages each pattern can name, which depends on
	// the stage names only.
	patterns map[patternKey][]int
	// res holds each pattern's regular expression, which depends on its
	// text, kind and the escape token only: versions share it, so that a
	// change of stage names matches the patterns again without reading and
	// compiling them again.
	res *patternREs
	// vals holds one copy of each value of a reference built from
	// variables that a stage's reading holds (canonical): readings of
	// every version share it, so that the model compares the patterns of
	// the stages it reuses by pointer, not by reading their text. Never
	// written once built; a model that adds one copies it.
	vals map[string]string
	npat int // the references built from variables, to size the next model's list
	// preRefs, patList and patIDs are the model's Model.pre, patterns and
	// patIDs, never written once built; unread counts its stages read
	// afresh every time (stagePart.reuse unset). A version spliced from
	// this one that touched no FROM shares them (carryModel).
	preRefs []StageRef
	patList []Pattern
	patIDs  []int
	unread  int
	// reach memoizes what builds reach (reachIn), kept for the next
	// version while the stage graph is the same (sameGraph).
	reachMu sync.Mutex
	reach   map[string][]bool
	// users indexes, for each stage, the stages whose references target
	// it (TargetUsers); the seeds of versions with the same stage graph
	// share one.
	users *targetUsers
	// vars are the model's walks, for the next version's (Model.prevVars).
	vars *varCache
}

// targetUsers is, for each stage t, the stages s whose TargetsOf yields t,
// each once, in order: list[at[t]:at[t+1]]. Built on first use.
type targetUsers struct {
	once     sync.Once
	at, list []int32
}

// stagePart is the model's reading of one stage.
type stagePart struct {
	n    int // the number of instructions
	base int // baseOf the stage, which its references decide
	// refs are the stage's references in document order, with spans
	// relative to the stage's FROM and instruction numbers relative to
	// the FROM's; Pattern is set when the model is assembled.
	refs []StageRef
	// has holds bit 1<<Resolution and bit 1<<(16+Kind) of each reference
	// in refs, so that a reader looking for some skips the others.
	has uint32
	// targets are the Target of each reference in refs the stage holds
	// (not the ONBUILD triggers it runs in others), in order.
	targets []int
	// vars are the indices in refs of the references built from
	// variables (ResolvesVariable), in order: those the model gives a
	// pattern, read without touching the others.
	vars  []int32
	reuse bool
}

// sameGlobals reports whether the seed was read with the escape, the
// instructions before the first FROM and the stage names of ix.
func (sd *modelSeed) sameGlobals(ix *Index, pre []*Instruction, names []string) bool {
	return sd != nil && sd.escape == ix.Escape && slices.Equal(sd.pre, pre) && sameStrings(sd.names, names)
}

// sameStrings is slices.Equal, answered at once for one array.
func sameStrings(a, b []string) bool {
	if len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0]) {
		return true
	}
	return slices.Equal(a, b)
}

// cursor reads an index's instructions at ascending numbers, moving from
// block to block instead of searching for each.
type cursor struct {
	ix *Index
	k  int // the block of the last instruction read
}

// at returns instruction i and its offset; i is not below the last one.
func (c *cursor) at(i int) (*Instruction, int) {
	ix := c.ix
	for c.k+1 < len(ix.bfirst) && ix.bfirst[c.k+1] <= i {
		c.k++
	}
	j := i - ix.bfirst[c.k]
	return ix.blocks[c.k].insts[j], ix.bbase[c.k] + ix.blocks[c.k].starts[j]
}

// seek moves the cursor to the block holding instruction i, not below
// the last one read, and returns i's place in it.
func (c *cursor) seek(i int) int {
	ix := c.ix
	for c.k+1 < len(ix.bfirst) && ix.bfirst[c.k+1] <= i {
		c.k++
	}
	return i - ix.bfirst[c.k]
}

// chunks returns instructions [first, end) as pieces of the blocks that
// hold them; first is not below the last instruction read.
func (c *cursor) chunks(first, end int) [][]*Instruction {
	var out [][]*Instruction
	for i := first; i < end; {
		j := c.seek(i)
		b := c.ix.blocks[c.k].insts
		m := min(end-i, len(b)-j)
		out = append(out, b[j:j+m:j+m])
		i += m
	}
	return out
}

// same reports whether instructions [first, end) are those chunks hold,
// and whether they lie in the same pieces of the same blocks (then chunks
// serve this index too); first is not below the last instruction read,
// and the cursor stays at first's block.
func (c *cursor) same(first, end int, chunks [][]*Instruction) (same, pieces bool) {
	ix := c.ix
	if end > ix.n {
		return false, false
	}
	c.seek(first)
	k0 := c.k
	i := first
	for _, p := range chunks {
		j := c.seek(i)
		b := ix.blocks[c.k].insts
		if len(p) != min(end-i, len(b)-j) || &p[0] != &b[j] {
			break
		}
		i += len(p)
	}
	if i == end {
		c.k = k0
		return true, true
	}
	// Compare one by one: the blocks were cut again (an edit nearby) or
	// the stage moved.
	c.k, i = k0, first
	for _, p := range chunks {
		for _, in := range p {
			if ix.blocks[c.k].insts[c.seek(i)] != in {
				c.k = k0
				return false, false
			}
			i++
		}
	}
	c.k = k0
	return i == end, false
}

func buildModel(ix *Index, prev *modelSeed) *Model {
	m := &Model{ix: ix, vars: &varCache{}}
	preEnd := ix.n
	if len(ix.stages) > 0 {
		preEnd = ix.stages[0].first
	}
	pre := make([]*Instruction, preEnd)
	for i := range pre {
		pre[i] = ix.inst(i)
	}
	var names []string
	var froms []*Instruction
	var offs stageOffsets // each FROM's offset
	cur := cursor{ix: ix}
	if k := ix.keptFroms; k != nil && prev == k.seed && len(prev.froms) == len(ix.stages) {
		// prev read the version this one was spliced from, and the edit
		// touched no FROM: the same FROMs and names, the ones after the
		// edit moved by delta bytes.
		names, froms = prev.names, prev.froms
		offs = prev.offs.moved(k.s+1, k.delta)
		ix.keptFroms = nil // read once, under modelOnce; keeps prev no longer
		if m := carryModel(ix, prev, k, pre, offs); m != nil {
			return m
		}
	} else {
		names = make([]string, len(ix.stages))
		froms = make([]*Instruction, len(ix.stages))
		offs.base = make([]int, len(ix.stages))
		for s, rec := range ix.stages {
			froms[s], offs.base[s] = cur.at(rec.first)
			switch name := froms[s].Name(); {
			case prev != nil && s < len(prev.froms) && prev.froms[s] == froms[s]:
				names[s] = prev.names[s]
			case name != nil:
				names[s] = strings.ToLower(name.Value)
			}
		}
	}
	same := prev.sameGlobals(ix, pre, names)
	graph := same && prev.parts.n == len(ix.stages)
	// Only the first model built from prev reads its pieces, and takes
	// their array over when the stages are as many: stage s's are read
	// before they are replaced.
	ownPieces := prev != nil && prev.piecesTaken.CompareAndSwap(false, true)
	var pieces [][][]*Instruction
	if ownPieces && len(prev.pieces) == len(ix.stages) {
		pieces = prev.pieces
	} else {
		pieces = make([][][]*Instruction, len(ix.stages))
	}
	seed := &modelSeed{escape: ix.Escape, pre: pre, names: names, froms: froms, offs: offs, ver: ix.ver, parts: newPartTable(len(ix.stages)), pieces: pieces, patterns: map[patternKey][]int{}, vars: m.vars}
	m.seed = seed
	if prev != nil {
		seed.vals = prev.vals
	}
	seed.res = prev.sharedREs(ix.Escape)
	// With as many stages and the same escape token, a pattern's stages
	// are prev's but for the stages whose names changed (renamed).
	var renamed []int
	patch := !same && prev != nil && prev.escape == ix.Escape && len(prev.names) == len(names)
	if patch {
		for s := range names {
			if names[s] != prev.names[s] {
				renamed = append(renamed, s)
			}
		}
	}
	m.parts, m.offs = seed.parts, offs
	m.has = make([]uint32, len(ix.stages))
	ownPatAt := !(prev != nil && len(prev.patAt) == len(ix.stages))
	if ownPatAt {
		m.patAt = make([]int, len(ix.stages))
	} else {
		m.patAt = prev.patAt
	}
	if prev != nil {
		m.patIDs = make([]int, 0, prev.npat)
	}
	patternOf := map[patternKey]int{}
	last, lastP := patternKey{}, -1 // the last pattern looked up: neighbours share one
	pattern := func(r *StageRef) {
		r.Pattern = -1
		if r.Resolution != ResolvesVariable {
			return
		}
		k := patternKey{r.Value, r.Kind == RefFrom}
		if lastP >= 0 && k == last {
			r.Pattern = lastP
			return
		}
		p, ok := patternOf[k]
		if !ok {
			p = len(m.patterns)
			patternOf[k] = p
			stages, known := seed.patterns[k]
			if !known && same {
				stages, known = prev.patterns[k]
			}
			if !known && patch {
				if old, ok := prev.patterns[k]; ok {
					stages, known = patchStages(old, renamed, seed.res.get(k, ix.Escape), r.Kind, names), true
				}
			}
			if !known {
				stages = matchStages(seed.res.get(k, ix.Escape), r.Kind, names)
			}
			seed.patterns[k] = stages
			m.patterns = append(m.patterns, Pattern{Value: r.Value, Kind: r.Kind, Stages: stages})
		}
		r.Pattern, last, lastP = p, k, p
	}
	// add places a reference read afresh: before the first FROM, or in
	// the stage being read (which keeps it relative), or as an ONBUILD
	// trigger run in a later stage.
	add := func(r StageRef, in int) {
		pattern(&r)
		switch {
		case in < 0:
			m.pre = append(m.pre, r)
			return
		case r.Onbuild:
			if m.into == nil {
				m.into = make([][]StageRef, len(ix.stages))
			}
			m.into[r.Stage] = append(m.into[r.Stage], r)
		}
		if r.Pattern >= 0 {
			m.patIDs = append(m.patIDs, r.Pattern)
		}
	}
	// The last global default of SOURCE_DATE_EPOCH is the one BuildKit
	// reads; earlier ones name nothing.
	epochDecl := Span{Start: -1}
	for i := range preEnd {
		if n := ix.Node(i); n.Cmd == "arg" {
			for _, d := range n.Decls {
				if d.Name.Value == "SOURCE_DATE_EPOCH" && d.HasDefault {
					epochDecl = n.Abs(d.Value.Span)
				}
			}
		}
	}
	for i := range preEnd {
		n := ix.Node(i)
		for _, r := range n.Refs {
			r := StageRef{
				Kind: r.Kind, Value: r.Value.Value, Span: n.Abs(r.Value.Span), Numeric: r.Numeric,
				Instruction: n.Index, Stage: -1, Resolution: r.Resolution, Target: r.Target,
			}
			if r.Resolution == ResolvesVariable {
				r.Target = m.defaultPick(r)
			}
			add(r, -1)
		}
		if n.Cmd != "arg" {
			continue
		}
		for _, d := range n.Decls {
			if d.Name.Value != "SOURCE_DATE_EPOCH" || !d.HasDefault || n.Abs(d.Value.Span) != epochDecl {
				continue
			}
			v := d.Value.Value
			if strings.Contains(v, "$") {
				// Built from variables (`${STAMP:-git-stamp}`): what
				// BuildKit's buildMetaArgs makes of it with the defaults.
				v, _ = m.globalArgs(DefaultPlatform).Get("SOURCE_DATE_EPOCH")
			}
			if _, err := strconv.ParseInt(v, 10, 64); err == nil || v == "" || v == "context" {
				continue
			}
			r := StageRef{Kind: RefEpoch, Value: v, Span: n.Abs(d.Value.Span), Instruction: n.Index, Stage: -1, Resolution: ResolvesImage, Target: -1}
			for s := range ix.stages {
				if name := froms[s].Name(); name != nil && strings.EqualFold(name.Value, v) {
					r.Resolution, r.Target = ResolvesStage, s
					break
				}
			}
			add(r, -1)
		}
	}
	cur = cursor{ix: ix}
	seed.sizes = make([]int32, len(ix.stages))
	var fresh []int // the stages read afresh, in order
	for s, rec := range ix.stages {
		var part *stagePart
		if same && ownPieces && s < prev.parts.n && prev.sizes[s] == int32(rec.end-rec.first) {
			p := prev.parts.at(s) // reusable, of as many instructions
			same, kept := cur.same(rec.first, rec.end, prev.pieces[s])
			switch {
			case kept:
				part, seed.pieces[s] = p, prev.pieces[s]
			case same:
				// The same instructions in blocks cut again: the
				// next version compares this index's pieces.
				part, seed.pieces[s] = p, cur.chunks(rec.first, rec.end)
			}
		}
		setShared(&m.patAt, &ownPatAt, s, len(m.patIDs))
		if part != nil {
			// A reused reading holds the stage's own references only
			// (Stage is s); only their patterns are looked up.
			seed.parts.set(s, part)
			m.has[s], seed.sizes[s] = prev.has[s], prev.sizes[s]
			if m.has[s]&(1<<uint(ResolvesVariable)) != 0 {
				for _, k := range part.vars {
					r := part.refs[k]
					pattern(&r)
					m.patIDs = append(m.patIDs, r.Pattern)
				}
			}
		} else {
			part = m.readStage(s, offs.at(s), add)
			seed.pieces[s] = cur.chunks(rec.first, rec.end)
			graph = graph && sameGraph(part.refs, prev.parts.at(s).refs)
			m.has[s], seed.sizes[s] = part.has, -1
			if part.reuse {
				seed.sizes[s] = int32(part.n)
			}
			fresh = append(fresh, s)
		}
		seed.parts.set(s, part)
	}
	seed.has = m.has
	seed.npat, seed.patAt = len(m.patIDs), m.patAt
	seed.preRefs, seed.patList, seed.patIDs = m.pre, m.patterns, m.patIDs
	for _, n := range seed.sizes {
		if n < 0 {
			seed.unread++
		}
	}
	ownBases := !(prev != nil && len(prev.bases) == len(ix.stages))
	if ownBases {
		m.bases = make([]int, len(ix.stages))
	} else {
		m.bases = prev.bases // only stages before s are read while s is set
	}
	for s := range seed.parts.n {
		// A kept reading keeps its base (the last model's), which its
		// references (and its FROM's resolution) decide.
		var b int
		if len(fresh) > 0 && fresh[0] == s {
			fresh = fresh[1:]
			part := seed.parts.at(s)
			if part.base == -2 {
				part.base = m.readBase(s)
			}
			b = part.base
		} else {
			b = prev.bases[s]
		}
		setShared(&m.bases, &ownBases, s, b)
	}
	seed.bases = m.bases
	seed.keepGraphFacts(prev, ix, graph)
	return m
}

// carryModel builds the model of ix, spliced from the version prev read
// with an edit that touched no FROM (k), from prev's arrays, reading again
// only the stages in the blocks the splice cut again: the others hold the
// same instructions in the same pieces of the same blocks, so their
// readings, bases and patterns are prev's (the FROMs, names and global
// ARGs being the same). pre and offs are ix's instructions before the
// first FROM and FROM offsets. It returns nil, having changed nothing
// shared, when that does not hold or a stage read again differs in what
// the arrays shared by every stage hold (an ONBUILD, a `--from` built
// from variables, other patterns): buildModel then reads every stage.
func carryModel(ix *Index, prev *modelSeed, k *keptFroms, pre []*Instruction, offs stageOffsets) *Model {
	n := len(ix.stages)
	if k.s < 0 || prev.unread > 0 || prev.escape != ix.Escape || !slices.Equal(prev.pre, pre) ||
		prev.parts.n != n || len(prev.pieces) != n || len(prev.sizes) != n || len(prev.has) != n ||
		len(prev.patAt) != n || len(prev.bases) != n || !prev.piecesTaken.CompareAndSwap(false, true) {
		return nil
	}
	carried := false
	defer func() {
		if !carried {
			prev.piecesTaken.Store(false) // not written: buildModel takes them
		}
	}()
	m := &Model{ix: ix, vars: &varCache{}, pre: prev.preRefs, patterns: prev.patList, patIDs: prev.patIDs, parts: prev.parts,
		has: prev.has, offs: offs, patAt: prev.patAt, bases: prev.bases, prevVars: prev.vars, walkBelow: k.at, walkAfter: k.after}
	seed := &modelSeed{escape: ix.Escape, pre: prev.pre, names: prev.names, froms: prev.froms, offs: offs,
		ver: ix.ver, parts: prev.parts, pieces: prev.pieces, patAt: prev.patAt, bases: prev.bases,
		has: prev.has, sizes: prev.sizes, patterns: prev.patterns, res: prev.res, vals: prev.vals, npat: prev.npat,
		preRefs: prev.preRefs, patList: prev.patList, patIDs: prev.patIDs, vars: m.vars}
	m.seed = seed
	// The stages holding an instruction of the blocks cut again.
	first := sort.Search(n, func(s int) bool { return ix.stages[s].end > k.lo })
	end := sort.Search(n, func(s int) bool { return ix.stages[s].first >= k.hi })
	graph := true
	var pieces [][][]*Instruction // this model's pieces of stages [first, end)
	cur := cursor{ix: ix}
	for s := first; s < end; s++ {
		rec := ix.stages[s]
		if prev.sizes[s] == int32(rec.end-rec.first) {
			same, kept := cur.same(rec.first, rec.end, prev.pieces[s])
			switch {
			case kept:
				pieces = append(pieces, prev.pieces[s])
				continue
			case same:
				pieces = append(pieces, cur.chunks(rec.first, rec.end))
				continue
			}
		}
		// Read again: the stage's base is prev's (its FROM is), and its
		// references built from variables must give prev's patterns.
		was := prev.parts.at(s)
		part := &stagePart{n: rec.end - rec.first, base: prev.bases[s], reuse: true}
		var keys []patternKey
		ok := true
		m.fillStage(s, offs.at(s), part, func(r StageRef, _ int) {
			if r.Onbuild {
				ok = false
			}
			if r.Resolution == ResolvesVariable {
				keys = append(keys, patternKey{r.Value, r.Kind == RefFrom})
			}
		})
		if !ok || !part.reuse || len(keys) != len(was.vars) {
			return nil
		}
		for i, v := range was.vars {
			if r := was.refs[v]; keys[i] != (patternKey{r.Value, r.Kind == RefFrom}) {
				return nil
			}
		}
		pieces = append(pieces, cur.chunks(rec.first, rec.end))
		if samePart(part, was) {
			continue // the same reading: prev's serves
		}
		graph = graph && sameGraph(part.refs, was.refs)
		seed.parts = seed.parts.with(s, part)
		if part.has != prev.has[s] {
			if &seed.has[0] == &prev.has[0] {
				seed.has = slices.Clone(prev.has)
			}
			seed.has[s] = part.has
		}
		if int32(part.n) != prev.sizes[s] {
			if &seed.sizes[0] == &prev.sizes[0] {
				seed.sizes = slices.Clone(prev.sizes)
			}
			seed.sizes[s] = int32(part.n)
		}
	}
	// Nothing failed: the pieces array is this model's to write.
	carried, m.carried = true, true
	copy(seed.pieces[first:end], pieces)
	m.parts, m.has = seed.parts, seed.has
	seed.keepGraphFacts(prev, ix, graph)
	return m
}

// keepGraphFacts gives seed the stage-graph facts of prev, the seed of the
// last version, when graph says the stage graph is the same: the same
// stages reference the same stages, so the users of each stage and what
// every build reaches are the same. (A stage named scratch is also reached
// through the RUN mounts without from=, which the references do not hold:
// see walkReach.) Otherwise the users start empty.
func (seed *modelSeed) keepGraphFacts(prev *modelSeed, ix *Index, graph bool) {
	seed.users = &targetUsers{}
	if graph && prev.users != nil {
		seed.users = prev.users
	}
	if graph && ix.byName["scratch"] == nil {
		prev.reachMu.Lock()
		seed.reach = maps.Clone(prev.reach)
		prev.reachMu.Unlock()
	}
}

// samePart reports whether two readings of a stage are the same.
func samePart(a, b *stagePart) bool {
	return a.n == b.n && a.base == b.base && a.has == b.has && a.reuse == b.reuse &&
		slices.Equal(a.refs, b.refs) && slices.Equal(a.targets, b.targets) && slices.Equal(a.vars, b.vars)
}

// setShared sets (*a)[s] to v, the values of a per-stage array being set
// in stage order: while own is false, *a is an earlier model's array,
// never written, kept as long as every value agrees with it, and copied
// (up to s) at the first that differs.
func setShared(a *[]int, own *bool, s, v int) {
	if !*own {
		if (*a)[s] == v {
			return
		}
		c := make([]int, len(*a))
		copy(c, (*a)[:s])
		*a, *own = c, true
	}
	(*a)[s] = v
}

// stageOffsets holds each stage's FROM offset: base[s], moved by delta
// from stage from on. A version whose edit touched no FROM moves the
// last version's offsets (moved) without copying them while its edits
// stay in one stage (typing, which alternately adds and removes a
// character at one place, moves them by 0, 1, 2...).
type stageOffsets struct {
	base        []int // never written once built
	from, delta int
}

func (o stageOffsets) at(s int) int {
	if s >= o.from {
		return o.base[s] + o.delta
	}
	return o.base[s]
}

// moved returns o with the offsets of stages from on moved by delta,
// sharing o's array while the stages moved are o's, or none were.
func (o stageOffsets) moved(from, delta int) stageOffsets {
	switch {
	case delta == 0:
		return o
	case o.delta == 0:
		return stageOffsets{base: o.base, from: from, delta: delta}
	case o.from == from:
		return stageOffsets{base: o.base, from: from, delta: o.delta + delta}
	}
	base := make([]int, len(o.base))
	for s := range base {
		base[s] = o.at(s)
	}
	return stageOffsets{base: base, from: from, delta: delta}
}

// partTable holds each stage's reading, in blocks of partBlock stages: a
// model that reads a stage again copies the table and that stage's block
// (with), not an array of every stage's.
type partTable struct {
	blocks [][]*stagePart
	n      int
}

const partBlock = 64

func newPartTable(n int) partTable {
	t := partTable{blocks: make([][]*stagePart, (n+partBlock-1)/partBlock), n: n}
	all := make([]*stagePart, n)
	for k := range t.blocks {
		t.blocks[k] = all[k*partBlock : min(n, (k+1)*partBlock)]
	}
	return t
}

func (t partTable) at(s int) *stagePart { return t.blocks[s/partBlock][s%partBlock] }

// set sets stage s's reading in a table no other model holds.
func (t partTable) set(s int, p *stagePart) { t.blocks[s/partBlock][s%partBlock] = p }

// with returns t with stage s's reading p, copying the table and the
// block of s: t may be an earlier model's, never written.
func (t partTable) with(s int, p *stagePart) partTable {
	blocks := slices.Clone(t.blocks)
	k := s / partBlock
	blocks[k] = slices.Clone(blocks[k])
	blocks[k][s%partBlock] = p
	return partTable{blocks: blocks, n: t.n}
}

// sameGraph reports whether two readings of a stage hold the same
// references in what the stage graph reads of them: all but their places.
func sameGraph(a, b []StageRef) bool {
	return slices.EqualFunc(a, b, func(x, y StageRef) bool {
		return x.Kind == y.Kind && x.Value == y.Value && x.Numeric == y.Numeric && x.Stage == y.Stage &&
			x.Resolution == y.Resolution && x.Target == y.Target && x.Onbuild == y.Onbuild
	})
}

// readStage reads the references of stage s, which starts at offset base,
// adding each to the model in document order, and returns its reading.
func (m *Model) readStage(s, base int, add func(StageRef, int)) *stagePart {
	part := &stagePart{n: m.ix.stages[s].end - m.ix.stages[s].first, base: -2, reuse: true}
	m.parts.set(s, part) // read while it fills: a pick may ask for s's base
	m.fillStage(s, base, part, add)
	return part
}

// fillStage reads the references of stage s into part (readStage).
func (m *Model) fillStage(s, base int, part *stagePart, add func(StageRef, int)) {
	ix := m.ix
	rec := ix.stages[s]
	keep := func(r StageRef) {
		if r.Resolution == ResolvesVariable {
			r.Value = m.canonical(r.Value)
			r.Target = m.defaultPick(r)
			if r.Kind != RefFrom {
				part.reuse = false // the pick reads the stage's variables
			}
		}
		add(r, s)
		part.has |= refBits(r.Resolution, r.Kind)
		if !r.Onbuild {
			part.targets = append(part.targets, r.Target)
		}
		r.Span = r.Span.Shift(-base)
		r.Instruction -= rec.first
		if r.Resolution == ResolvesVariable {
			part.vars = append(part.vars, int32(len(part.refs)))
		}
		part.refs = append(part.refs, r)
	}
	for i := rec.first; i < rec.end; i++ {
		n := ix.Node(i)
		for _, r := range n.Refs {
			keep(StageRef{
				Kind: r.Kind, Value: r.Value.Value, Span: n.Abs(r.Value.Span), Numeric: r.Numeric,
				Instruction: n.Index, Stage: s, Resolution: r.Resolution, Target: r.Target,
			})
		}
		if n.Cmd == "onbuild" {
			part.reuse = false // what a trigger names depends on the stages built on s
			for _, r := range onbuildRefs(n.Instruction, ix.Doc.Slice(n.Span()), ix.Escape) {
				for _, user := range m.builtFrom(s) {
					res, target := resolve(r, user, len(ix.stages), ix.byName)
					keep(StageRef{
						Kind: r.Kind, Value: r.Value.Value, Span: n.Abs(r.Value.Span), Numeric: r.Numeric,
						Instruction: n.Index, Stage: user, Onbuild: true, Resolution: res, Target: target,
					})
				}
			}
		}
	}
}

// maxVals bounds modelSeed.vals: a model that would add to more starts
// anew (text typed into a FROM's variables adds a value a keystroke).
const maxVals = 1024

// canonical returns the copy of v the seed's vals hold, adding one.
func (m *Model) canonical(v string) string {
	sd := m.seed
	if c, ok := sd.vals[v]; ok {
		return c
	}
	if !m.ownVals {
		if len(sd.vals) >= maxVals {
			sd.vals = nil
		}
		sd.vals = maps.Clone(sd.vals) // an earlier model's: never written
		if sd.vals == nil {
			sd.vals = map[string]string{}
		}
		m.ownVals = true
	}
	c := strings.Clone(v)
	sd.vals[c] = c
	return c
}

type patternKey struct {
	value string
	from  bool
}

// builtFrom returns the stages built FROM stage s: whose FROM names it, or
// picks it with the ARG defaults (`FROM ${S}`), as BaseOf.
func (m *Model) builtFrom(s int) []int {
	var out []int
	for t := s + 1; t < len(m.ix.stages); t++ {
		if m.ix.baseStage(t) == s || m.fromPick(t) == s {
			out = append(out, t)
		}
	}
	return out
}

// onbuildRefs returns the stage references of an ONBUILD trigger: the
// `--from` of a COPY (ADD has none), the `from=` of a RUN's mounts. src is
// the instruction's text, in a file whose escape token is esc.
func onbuildRefs(in *Instruction, src string, esc byte) []Ref {
	var out []Ref
	cmd, flags := triggerFlags(in)
	for f := range flags {
		switch {
		case f.Name == "from" && TakesFrom(cmd):
			out = append(out, Ref{Kind: RefCopyFrom, Value: f.valueToken(src, esc), Numeric: isNumber(f.Value), Target: -1})
		case cmd == "run" && f.Name == "mount":
			if from, ok := f.mount(src, esc).Field("from"); ok && from.HasValue {
				out = append(out, Ref{Kind: RefMountFrom, Value: from.Value, Numeric: isNumber(from.Value.Value), Target: -1})
			}
		}
	}
	return out
}

// triggerFlag is a `--name=value` word of an ONBUILD trigger.
type triggerFlag struct {
	Name, Value string
	Word        Token // the whole word, its span relative to the instruction
}

// triggerFlags returns the keyword of ONBUILD instruction in's trigger, in
// lower case, and its leading flags that hold a value, as the words
// BuildKit's parser splits the trigger into.
func triggerFlags(in *Instruction) (string, iter.Seq[triggerFlag]) {
	if len(in.Args) < 2 {
		return "", func(func(triggerFlag) bool) {}
	}
	return strings.ToLower(in.Args[0].Value), func(yield func(triggerFlag) bool) {
		for _, a := range in.Args[1:] {
			if !strings.HasPrefix(a.Value, "--") {
				return
			}
			name, val, ok := strings.Cut(a.Value[2:], "=")
			if ok && !yield(triggerFlag{Name: name, Value: val, Word: a}) {
				return
			}
		}
	}
}

// valueToken places the flag's value in src, the instruction's text: the
// word's bytes from the '=' on unless it held quotes; then the one piece
// equal to the value, when the rest is quotes around it and the flag's
// name (`--from="builder"`, `"--from=builder"`), else the whole word.
func (f triggerFlag) valueToken(src string, esc byte) Token {
	a, val := f.Word, f.Value
	vs := Span{a.Span.End - len(val), a.Span.End}
	if a.Span.Len() != len(a.Value) {
		vs = a.Span
		if raw := src[a.Span.Start:a.Span.End]; val != "" && strings.IndexByte(raw, esc) < 0 {
			if k := strings.LastIndex(raw, val); k >= 0 && strings.Trim(raw[:k]+raw[k+len(val):], `"'`) == "--"+f.Name+"=" &&
				!strings.ContainsAny(val, `"'`) {
				vs = Span{a.Span.Start + k, a.Span.Start + k + len(val)}
			}
		}
	}
	return Token{Span: vs, Value: val}
}

// mount reads the value of a `--mount` trigger flag, src being the
// instruction's text.
func (f triggerFlag) mount(src string, esc byte) Mount {
	return onbuildMount(f.Word, len(f.Word.Value)-len(f.Value), src, esc)
}

// patternRegexp turns a reference built from variables into a regular
// expression of the names it can give (patternSource), with a group for
// each variable's text. A `--from` compares case-insensitively.
func patternRegexp(value string, kind RefKind, esc byte) (*regexp.Regexp, error) {
	var b strings.Builder
	if kind != RefFrom {
		b.WriteString("(?i)")
	}
	b.WriteString("^" + patternSource(value, esc) + "$")
	// Most references are one variable, `^(.*)$`, or a few repeated
	// ones: compiled once per process (a Regexp is safe for concurrent
	// use), and the first patternCacheSize seen only, of at most
	// patternCacheText bytes (1,024 of 16 KB held 239 MB for good).
	if re, ok := patternCache.Load(b.String()); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(b.String())
	if err == nil && b.Len() <= patternCacheText && patternCacheLen.Add(1) <= patternCacheSize {
		patternCache.Store(b.String(), re)
	}
	return re, err
}

var (
	patternCache    sync.Map // pattern -> *regexp.Regexp
	patternCacheLen atomic.Int64
)

const (
	patternCacheSize = 1024
	patternCacheText = 256
)

// patternStages returns the stages, given their lower-case names ("" for
// none), that a pattern can name: by name, and for a `--from` by index.
func patternStages(value string, kind RefKind, names []string, esc byte) []int {
	re, err := patternRegexp(value, kind, esc)
	if err != nil {
		return nil
	}
	return matchStages(re, kind, names)
}

// matchStages is patternStages with the pattern's regular expression (nil:
// it names nothing).
func matchStages(re *regexp.Regexp, kind RefKind, names []string) []int {
	var out []int
	for s := range names {
		if namesStage(re, kind, names, s) {
			out = append(out, s)
		}
	}
	return out
}

// namesStage reports whether the pattern re (nil: none) can name stage s.
func namesStage(re *regexp.Regexp, kind RefKind, names []string, s int) bool {
	return re != nil && ((names[s] != "" && re.MatchString(names[s])) || (kind != RefFrom && re.MatchString(strconv.Itoa(s))))
}

// patchStages returns matchStages(re, kind, names) given old, its answer
// for names that differ at the stages renamed (ascending) only.
// It returns old itself when the renamed stages are in it as before.
func patchStages(old, renamed []int, re *regexp.Regexp, kind RefKind, names []string) []int {
	var in []bool
	for k, s := range renamed {
		_, was := slices.BinarySearch(old, s)
		if is := namesStage(re, kind, names, s); is != was && in == nil {
			in = make([]bool, len(renamed))
			for j := range k {
				_, in[j] = slices.BinarySearch(old, renamed[j])
			}
			in[k] = is
		} else if in != nil {
			in[k] = is
		}
	}
	if in == nil {
		return old
	}
	out := make([]int, 0, len(old)+len(renamed))
	i := 0
	for k, s := range renamed {
		for ; i < len(old) && old[i] < s; i++ {
			out = append(out, old[i])
		}
		if i < len(old) && old[i] == s {
			i++
		}
		if in[k] {
			out = append(out, s)
		}
	}
	if out = append(out, old[i:]...); len(out) == 0 {
		return nil // as matchStages gives none
	}
	return out
}

// patternREs memoizes patterns' regular expressions for the versions of
// one document (modelSeed.res), which may build their models at once.
type patternREs struct {
	mu       sync.Mutex
	m        map[patternKey]*regexp.Regexp
	compiled int // the patterns read and compiled
}

// maxPatternREs bounds a document's memo: past it (edits made many
// patterns that are gone), the next version starts a new one.
const maxPatternREs = 1 << 14

// sharedREs returns the memo a version with escape token esc shares with
// sd's, or a new one.
func (sd *modelSeed) sharedREs(esc byte) *patternREs {
	if sd != nil && sd.res != nil && sd.escape == esc {
		sd.res.mu.Lock()
		n := len(sd.res.m)
		sd.res.mu.Unlock()
		if n < maxPatternREs {
			return sd.res
		}
	}
	return &patternREs{m: map[patternKey]*regexp.Regexp{}}
}

// get returns the regular expression of pattern k in a file with escape
// token esc (one memo holds one escape token's), nil when it names
// nothing BuildKit accepts.
func (p *patternREs) get(k patternKey, esc byte) *regexp.Regexp {
	p.mu.Lock()
	re, ok := p.m[k]
	p.mu.Unlock()
	if ok {
		return re
	}
	kind := RefCopyFrom
	if k.from {
		kind = RefFrom
	}
	re, err := patternRegexp(k.value, kind, esc)
	if err != nil {
		re = nil
	}
	p.mu.Lock()
	p.m[k] = re
	p.compiled++
	p.mu.Unlock()
	return re
}

// defaultPick returns the stage a reference built from variables names
// when the build gives no build arguments, on a linux/amd64 builder, or -1.
func (m *Model) defaultPick(r StageRef) int {
	_, t := m.ResolveWith(r, DefaultPlatform)
	return t
}

// DefaultPlatform is the platform the model assumes when a value depends on
// the platform ARGs.
const DefaultPlatform = "linux/amd64"

// Platforms are the platforms a value built from the platform ARGs is
// checked for (a rename must keep what a reference picks on each).
var Platforms = []string{"linux/amd64", "linux/arm64", "linux/arm/v7", "linux/386", "linux/ppc64le", "linux/s390x", "linux/riscv64", "windows/amd64"}

// ResolveWith returns what reference r names when the build runs for
// platform with no build arguments: for a FROM, its base expanded with the
// global ARGs; for a `--from` built from variables, its text expanded with
// the ARG and ENV values in its stage (BuildKit itself rejects those).
func (m *Model) ResolveWith(r StageRef, platform string) (Resolution, int) {
	if r.Resolution != ResolvesVariable {
		return r.Resolution, r.Target
	}
	ix := m.ix
	var env shell.EnvGetter = m.GlobalArgs(platform)
	if r.Kind != RefFrom && r.Stage >= 0 {
		env = m.State(r.Instruction).env
	}
	v, _, err := shell.NewLex(rune(ix.Escape)).ProcessWord(r.Value, env)
	switch {
	case err == nil && v == "":
		return ResolvesEmpty, -1
	case err != nil || strings.Contains(v, "$"):
		return ResolvesImage, -1
	}
	res, t := resolve(Ref{Kind: r.Kind, Value: Token{Value: v}, Numeric: r.Kind != RefFrom && isNumber(v)}, r.Stage, len(ix.stages), ix.byName)
	if res == ResolvesStage || res == ResolvesLaterStage {
		return res, t
	}
	return res, -1
}

// Refs returns every stage reference in document order (ONBUILD triggers
// once per stage that runs them).
func (m *Model) Refs() []StageRef {
	m.refsOnce.Do(func() {
		n := len(m.pre)
		for s := range m.parts.n {
			p := m.parts.at(s)
			n += len(p.refs)
		}
		if n == 0 {
			return // nil, as a model with no references
		}
		out := make([]StageRef, 0, n)
		out = append(out, m.pre...)
		for s := range m.parts.n {
			m.eachIn(s, func(r StageRef) bool {
				out = append(out, r)
				return true
			})
		}
		m.refs = out
	})
	return m.refs
}

// refBits are the bits of stagePart.has a reference sets: its
// resolution's, its kind's and, for one built from variables, its kind's
// among those (varKindBit).
func refBits(res Resolution, kind RefKind) uint32 {
	b := uint32(1)<<uint(res) | 1<<(16+uint(kind))
	if res == ResolvesVariable {
		b |= varKindBit(kind)
	}
	return b
}

// varKindBit is the bit of stagePart.has a reference of kind built from
// variables sets.
func varKindBit(kind RefKind) uint32 { return 1 << (24 + uint(kind)) }

// VariableRefs yields the references Refs lists that are built from
// variables (ResolvesVariable) and of kind, in order, looking only into
// the stages that hold one.
func (m *Model) VariableRefs(kind RefKind) iter.Seq[StageRef] {
	return func(yield func(StageRef) bool) {
		for _, r := range m.pre {
			if r.Resolution == ResolvesVariable && r.Kind == kind && !yield(r) {
				return
			}
		}
		bit := varKindBit(kind)
		for s, has := range m.has {
			if has&bit != 0 && !m.eachVar(s, func(r StageRef) bool { return r.Kind != kind || yield(r) }) {
				return
			}
		}
	}
}

// eachVar calls f with the references built from variables that stand in
// stage s's instructions, in place, in order, until f returns false (as
// eachIn, reading only those).
func (m *Model) eachVar(s int, f func(StageRef) bool) bool {
	part := m.parts.at(s)
	k, first, off := m.patAt[s], m.ix.stages[s].first, m.offs.at(s)
	for _, i := range part.vars {
		r := part.refs[i]
		r.Pattern = -1
		if k < len(m.patIDs) {
			r.Pattern = m.patIDs[k]
			k++
		}
		r.Span = r.Span.Shift(off)
		r.Instruction += first
		if !f(r) {
			return false
		}
	}
	return true
}

// RefsIn yields the references that stand in stage s's instructions, in
// place and in document order (an ONBUILD trigger once per stage that
// runs it); for s = -1 those before the first FROM. Unlike Refs, it
// copies no other stage's.
func (m *Model) RefsIn(s int) iter.Seq[StageRef] {
	return func(yield func(StageRef) bool) {
		if s < 0 {
			for _, r := range m.pre {
				if !yield(r) {
					return
				}
			}
			return
		}
		m.eachIn(s, yield)
	}
}

// RefsResolving yields the references Refs lists that resolve as res, in
// order, looking only into the stages that hold one.
func (m *Model) RefsResolving(res Resolution) iter.Seq[StageRef] {
	return func(yield func(StageRef) bool) {
		for _, r := range m.pre {
			if r.Resolution == res && !yield(r) {
				return
			}
		}
		bit := uint32(1) << uint(res)
		for s, has := range m.has {
			if has&bit == 0 {
				continue
			}
			if res == ResolvesVariable {
				// Only those: their patterns are the stage's in order.
				if !m.eachVar(s, yield) {
					return
				}
				continue
			}
			if !m.eachIn(s, func(r StageRef) bool { return r.Resolution != res || yield(r) }) {
				return
			}
		}
	}
}

// TargetsOf yields the Target of each reference StageRefSeq yields for
// stage s, in order, without making the references.
func (m *Model) TargetsOf(s int) iter.Seq[int] {
	return func(yield func(int) bool) {
		if m.into != nil {
			for _, r := range m.into[s] {
				if !yield(r.Target) {
					return
				}
			}
		}
		for _, t := range m.parts.at(s).targets {
			if !yield(t) {
				return
			}
		}
	}
}

// TargetUsers returns the stages s for which TargetsOf(s) yields t, each
// once, in order. The slice is shared: do not change it.
func (m *Model) TargetUsers(t int) []int32 {
	u := m.seed.users
	u.once.Do(func() {
		n := len(m.ix.stages)
		count := make([]int32, n+1)
		last := make([]int32, n) // the last user counted of each stage, plus one
		for s := range n {
			for t := range m.TargetsOf(s) {
				if t >= 0 && t < n && last[t] != int32(s+1) {
					last[t] = int32(s + 1)
					count[t+1]++
				}
			}
		}
		for t := range n {
			count[t+1] += count[t]
		}
		list := make([]int32, count[n])
		next := last // reused: where each stage's next user goes
		copy(next, count[:n])
		for s := range n {
			for t := range m.TargetsOf(s) {
				if t >= 0 && t < n && (next[t] == count[t] || list[next[t]-1] != int32(s)) {
					list[next[t]] = int32(s)
					next[t]++
				}
			}
		}
		u.at, u.list = count, list
	})
	return u.list[u.at[t]:u.at[t+1]]
}

// Bases returns BaseOf of every stage. The slice is shared: do not change
// it. A model that took the last version's bases returns the same array.
func (m *Model) Bases() []int { return m.bases }

// StandsIn reports whether a reference of kind stands in stage s's
// instructions (RefsIn).
func (m *Model) StandsIn(s int, kind RefKind) bool {
	return m.has[s]&(1<<(16+uint(kind))) != 0
}

// eachIn calls f with the references that stand in stage s's
// instructions, in place, in order (ONBUILD triggers once per stage that
// runs them), until f returns false.
func (m *Model) eachIn(s int, f func(StageRef) bool) bool {
	part := m.parts.at(s)
	if part == nil {
		return true // not read yet, while the model is assembled
	}
	k, first, off := m.patAt[s], m.ix.stages[s].first, m.offs.at(s)
	for _, r := range part.refs {
		r.Pattern = -1
		if r.Resolution == ResolvesVariable && k < len(m.patIDs) {
			r.Pattern = m.patIDs[k]
			k++
		}
		r.Span = r.Span.Shift(off)
		r.Instruction += first
		if !f(r) {
			return false
		}
	}
	return true
}

// eachRef calls f with the references stage s holds (runs, for ONBUILD
// triggers of the stage it is built on), in document order, until f
// returns false.
func (m *Model) eachRef(s int, f func(StageRef) bool) {
	if m.into != nil {
		for _, r := range m.into[s] {
			if !f(r) {
				return
			}
		}
	}
	m.eachIn(s, func(r StageRef) bool {
		return r.Onbuild || f(r) // a trigger is held by the stage that runs it
	})
}

// Patterns returns the patterns of the references built from variables.
func (m *Model) Patterns() []Pattern { return m.patterns }

// StageRefs returns the references held by stage s (run in it, for ONBUILD
// triggers).
func (m *Model) StageRefs(s int) []StageRef {
	out := []StageRef{}
	m.eachRef(s, func(r StageRef) bool {
		out = append(out, r)
		return true
	})
	return out
}

// StageRefSeq yields the references StageRefs returns, without copying
// the list.
func (m *Model) StageRefSeq(s int) iter.Seq[StageRef] {
	return func(yield func(StageRef) bool) { m.eachRef(s, yield) }
}

// Candidates returns the stages reference r can name, the one the defaults
// pick first: for a plain reference the stage it resolves to, for one
// built from variables every earlier stage its pattern can name.
func (m *Model) Candidates(r StageRef) []int {
	if r.Pattern < 0 {
		if r.Target >= 0 && (r.Resolution == ResolvesStage || r.Resolution == ResolvesLaterStage) {
			return []int{r.Target}
		}
		return nil
	}
	var out []int
	if r.Target >= 0 && r.Target < r.Stage {
		out = append(out, r.Target)
	}
	for _, s := range m.patterns[r.Pattern].Stages {
		if s >= r.Stage {
			break
		}
		if s != r.Target {
			out = append(out, s)
		}
	}
	return out
}

// CanName reports whether reference r can name stage s: resolves to it,
// or has a pattern that can name it and stands after it.
func (m *Model) CanName(r *StageRef, s int) bool {
	if r.Pattern < 0 {
		return r.Target == s && (r.Resolution == ResolvesStage || r.Resolution == ResolvesLaterStage)
	}
	if s >= r.Stage {
		return false
	}
	_, found := slices.BinarySearch(m.patterns[r.Pattern].Stages, s)
	return found
}

// Reachable returns, for each stage, whether building one of the stages
// in targets may build it: through what references resolve to, and for a
// reference built from variables through every earlier stage its pattern
// can name, since build arguments choose among them.
func (m *Model) Reachable(targets []int) []bool {
	return m.reach(targets, "")
}

// DefaultReachable returns, for each stage, whether a build of target with
// no build arguments for platform builds it, as BuildKit decides.
func (m *Model) DefaultReachable(target int, platform string) []bool {
	return m.reach([]int{target}, platform)
}

// reach walks from targets; with a platform, a pattern reaches only the
// stage the defaults pick for it.
func (m *Model) reach(targets []int, platform string) []bool {
	return m.reachIn(targets, platform, nil)
}

// reachIn is reach for a build given the named contexts: a stage a context
// replaces is reached by no reference (the context is used in its place)
// and, even as a target, reaches nothing through its FROM or instructions,
// which BuildKit does not build (dockerfile2llb: the stage gets the context
// as its state, its base reset and its commands never dispatched).
func (m *Model) reachIn(targets []int, platform string, contexts []NamedContext) []bool {
	replaced := m.replaced(contexts)
	// The answer depends on the targets, the platform and the stages the
	// contexts replace; it is kept with the model's seed.
	var b strings.Builder
	for _, t := range targets {
		b.WriteString(strconv.Itoa(t))
		b.WriteByte(',')
	}
	b.WriteString("|" + platform + "|")
	for s, r := range replaced {
		if r {
			b.WriteString(strconv.Itoa(s))
			b.WriteByte(',')
		}
	}
	key := b.String()
	sd := m.seed
	sd.reachMu.Lock()
	kept, ok := sd.reach[key]
	sd.reachMu.Unlock()
	if !ok {
		kept = m.walkReach(targets, platform, replaced)
		sd.reachMu.Lock()
		if sd.reach == nil {
			sd.reach = map[string][]bool{}
		}
		if len(sd.reach) < maxReachMemo {
			sd.reach[key] = kept
		}
		sd.reachMu.Unlock()
	}
	return slices.Clone(kept)
}

// maxReachMemo bounds the answers a seed keeps (each a bool per stage):
// the rules ask for a few targets, a reader for every stage would keep
// a table of stages squared.
const maxReachMemo = 64

// walkReach is reachIn's walk, with replaced[s] set for the stages the
// contexts replace (nil for none).
func (m *Model) walkReach(targets []int, platform string, replaced []bool) []bool {
	n := len(m.ix.stages)
	reached := make([]bool, n)
	var work []int
	push := func(s int) {
		if s >= 0 && s < n && !reached[s] && (replaced == nil || !replaced[s]) {
			reached[s] = true
			work = append(work, s)
		}
	}
	for _, t := range targets {
		if t >= 0 && t < n && replaced != nil && replaced[t] {
			reached[t] = true // built as the context: nothing of its own
			continue
		}
		push(t)
	}
	if platform == "" {
		// BuildKit builds the stage SOURCE_DATE_EPOCH names to take its
		// time, whatever the target.
		push(m.EpochStage())
	}
	// done[p] counts the stages of pattern p already pushed: a holder
	// pushes those before it, and stages come in order, so each pattern's
	// list is walked once whatever the number of holders.
	done := make([]int, len(m.patterns))
	// A RUN mount without from= (a cache, a secret) is taken from the
	// stage named scratch when there is one: dockerfile2llb's
	// detectRunMount looks "scratch" up as a stage name, and the stage
	// becomes a dependency that the build reaches.
	scratch := m.ScratchStage()
	for len(work) > 0 {
		s := work[len(work)-1]
		work = work[:len(work)-1]
		if b := m.ix.baseStage(s); b >= 0 {
			push(b)
		}
		if scratch >= 0 && !reached[scratch] && m.MountsWithoutFrom(s) {
			push(scratch)
		}
		m.eachRef(s, func(r StageRef) bool {
			switch {
			case r.Pattern >= 0 && platform != "":
				if r.Kind == RefFrom {
					if _, t := m.ResolveWith(r, platform); t >= 0 && t < s {
						push(t)
					}
				}
			case r.Pattern >= 0:
				stages := m.patterns[r.Pattern].Stages
				for done[r.Pattern] < len(stages) && stages[done[r.Pattern]] < s {
					push(stages[done[r.Pattern]])
					done[r.Pattern]++
				}
			case r.Resolution == ResolvesStage:
				push(r.Target)
			}
			return true
		})
	}
	return reached
}

// ScratchStage returns the stage named scratch that a RUN mount without
// from= uses (the last of that name), or -1 when no stage is named so.
func (m *Model) ScratchStage() int {
	if ss := m.ix.byName["scratch"]; len(ss) > 0 {
		return ss[len(ss)-1]
	}
	return -1
}

// MountsWithoutFrom reports whether a RUN of stage s has a mount with no
// (or an empty) from=, which uses ScratchStage when there is one.
func (m *Model) MountsWithoutFrom(s int) bool {
	ix := m.ix
	for i := ix.stages[s].first; i < ix.stages[s].end; i++ {
		if n := ix.Node(i); n.Cmd == "run" {
			for _, mt := range ix.Mounts(n) {
				if v, ok := mt.Value("from"); !ok || v == "" {
					return true
				}
			}
		}
	}
	return false
}

// baseOf returns the stage that stage s is built FROM: the one its FROM
// names, or for a FROM built from ARGs the one the defaults pick; -1 for
// an image.
func (m *Model) baseOf(s int) int {
	if m.bases != nil {
		return m.bases[s]
	}
	return m.readBase(s)
}

// readBase is baseOf read from the references, which the model's
// assembly calls while it adds them (a stage's FROM comes before anything
// that asks for its base).
func (m *Model) readBase(s int) int {
	if b := m.ix.baseStage(s); b >= 0 {
		return b
	}
	base := -1
	m.eachRef(s, func(r StageRef) bool {
		if r.Kind == RefFrom && r.Pattern >= 0 && r.Target >= 0 && r.Target < s {
			base = r.Target
			return false
		}
		return true
	})
	return base
}

// BaseOf returns the stage that stage s is built FROM, as its variables
// and working directory follow it: the one its FROM names, or for a FROM
// built from ARGs the one the defaults pick; -1 for an image.
func (m *Model) BaseOf(s int) int { return m.baseOf(s) }

// baseOf is the model's baseOf, for the variable scopes, which follow ENV
// through the same FROM.
func (ix *Index) baseOf(s int) int { return ix.Model().baseOf(s) }

// EpochStage returns the stage a global `ARG SOURCE_DATE_EPOCH=<stage>`
// names, or -1.
func (m *Model) EpochStage() int {
	for _, r := range m.pre { // set before the first FROM only
		if r.Kind == RefEpoch && r.Resolution == ResolvesStage {
			return r.Target
		}
	}
	return -1
}

// Users returns the stages that use stage s, each once, in order: those
// holding a reference that resolves to it, or whose pattern can name it.
// The work is that of the answer, whatever the number of patterns.
func (m *Model) Users(s int) []int {
	m.usersOnce.Do(m.indexUsers)
	seen := make([]bool, len(m.ix.stages))
	var out []int
	for _, u := range m.direct[s] {
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	for _, p := range m.inPatterns[s] {
		hs := m.holders[p]
		for k := sort.SearchInts(hs, s+1); k < len(hs); k++ {
			if !seen[hs[k]] {
				seen[hs[k]] = true
				out = append(out, hs[k])
			}
		}
	}
	slices.Sort(out)
	return out
}

// indexUsers inverts the references: direct users of each stage, the
// patterns each stage is named by, and the stages holding each pattern.
func (m *Model) indexUsers() {
	n := len(m.ix.stages)
	m.direct = make([][]int, n)
	m.inPatterns = make([][]int, n)
	m.holders = make([][]int, len(m.patterns))
	for p, pat := range m.patterns {
		for _, s := range pat.Stages {
			m.inPatterns[s] = append(m.inPatterns[s], p)
		}
	}
	for u := 0; u < n; u++ {
		m.eachRef(u, func(r StageRef) bool {
			switch {
			case r.Pattern >= 0:
				if h := m.holders[r.Pattern]; len(h) == 0 || h[len(h)-1] != u {
					m.holders[r.Pattern] = append(h, u)
				}
			case r.Resolution == ResolvesStage:
				if d := m.direct[r.Target]; len(d) == 0 || d[len(d)-1] != u {
					m.direct[r.Target] = append(d, u)
				}
			}
			return true
		})
	}
	// The RUN mounts without from= use the stage named scratch (walkReach).
	if sc := m.ScratchStage(); sc >= 0 {
		for u := 0; u < n; u++ {
			if u != sc && m.MountsWithoutFrom(u) {
				m.direct[sc] = append(m.direct[sc], u)
			}
		}
	}
}
