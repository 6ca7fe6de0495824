package rules

import (
	"encoding/binary"
	"hash/maphash"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/moby/patternmatcher"

	"github.com/stagehand-ls/stagehand/analysis"
)

// Incremental runs. Most rules judge a stage from its own text, the text
// before the first FROM (global ARGs, directives), the stages it is built
// on or copies from, the stage names and the settings; those rules declare
// Scope PerStage. A Cache keeps their findings by stage, under a key that
// hashes exactly those inputs, so that after an edit only the stages whose
// key changed run them again. Keys are content hashes, never pointers: the
// cache pins no index, and one run replaces every entry with the current
// version's, so it holds one version's findings at most, and that
// version's document (to hash only the stage texts that changed), most of
// whose chunks the current version shares. Rules of Scope File (the default) run
// over the whole file every time, some of them keeping findings by stage
// (stageMemo).

// Scope says what a rule's findings depend on.
type Scope int

const (
	// File: anything in the file; the rule runs on every run.
	File Scope = iota
	// PerStage: a finding in stage s depends only on the text of s (with
	// the comments above its FROM), the text before the first FROM, the
	// stages s is built on and those its references name (with the stages
	// they are built on), the stages' names and the configuration; and the
	// rule reports nothing before the first FROM that depends on a stage.
	// Such a rule may look only at the stages Pass.wants, and the
	// instructions before the first FROM.
	PerStage
)

// Cache keeps per-stage findings of one document between runs. Keep one
// per document and drop it with the document. It is safe for concurrent
// use; the zero value is ready.
type Cache struct {
	mu     sync.Mutex
	seed   maphash.Seed
	seeded bool
	// entries are the last run's findings by stage, with its key. A key
	// hashes the stage's number (chain), so a stage can find its kept
	// findings only at its own number: a slot per stage serves as a map.
	entries []stageEntry
	sums    [][]any // the last run's stage summaries by stage (with own), then kind
	// doc is the last run's document, spans its stages' texts, own their
	// hashes under escape: the stages the current document shares keep
	// them. It is one version, whose chunks the current one mostly shares.
	doc    *analysis.Document
	docLen int
	spans  []analysis.Span
	own    []uint64
	escape byte
	// memo holds the findings whole-file rules keep by stage (stageMemo),
	// by rule, those of the last run; memoNext fills during a run.
	memo, memoNext map[string][]memoSlot
	// memoSeen holds, by rule, what memoStages saw in the last run
	// (memoSeenNext, in this one).
	memoSeen, memoSeenNext map[string]memoSeen
	buf                    []byte // scratch, for stageKeys
	// The last run's global hash, chains, bases and keys by stage, for
	// the next run to carry (keysKept).
	global   uint64
	chain    []uint64
	bases    []int
	keys     []uint64
	keysKept bool
	// keptRuns counts the runs whose chains and keys were carried from
	// the first stage hashed anew (for tests).
	keptRuns int
	// The last run's instruction casing counts by stage and in all, for
	// casingMajority to carry (casingKept).
	casing      [][2]int
	casingTotal [2]int
	casingKept  bool
	// names is the sum of the last run's stage names (NamesSum), and odd
	// the stages among them that oddNames returns, when oddKept (it was
	// read for those names).
	names   uint64
	odd     []int
	oddKept bool
	// with holds the last run's stagesWith lists, by kind.
	with map[summaryKind][]int
	// spare holds the per-stage arrays of the run before the last, which
	// nothing reads any more, and one run's scratch: a run cuts its arrays
	// from them (reuse) instead of allocating, and hands the last run's
	// over when it replaces them.
	spare spareArrays
}

// spareArrays are Cache's arrays free for the next run.
type spareArrays struct {
	own, chain, keys []uint64
	spans            []analysis.Span
	sums             [][]any
	memo             map[string][]memoSlot
	// One run's scratch, read by no later run.
	starts, ends []int
	vends        []int
	dirty, want  []bool
	redo         []bool
	visit        []int
	items        []stageItem
}

// reuse returns a zeroed slice of n elements, cut from s when it is large
// enough: s must be an array nothing reads any more.
func reuse[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// memoSlot is a stage's kept findings of one rule, with their keys: the
// rule's per-run inputs (memoBase) and the stage's key.
type memoSlot struct {
	base, key uint64
	e         *memoEntry
}

// summaryKind names a kind of stage summary (Pass.stageSummary); kinds
// are made when the package initializes.
type summaryKind int

var summaryKinds []string

func newSummaryKind(name string) summaryKind {
	summaryKinds = append(summaryKinds, name)
	return summaryKind(len(summaryKinds) - 1)
}

// summaries are the stage summaries of the last run and of this one, by
// stage, then kind. A summary is kept by the hash of its stage's text: a
// stage whose text hash is the last run's at the same number takes its
// summaries; when the number of stages changed, they are looked up by
// hash.
type summaries struct {
	prevOwn   []uint64 // the last run's text hashes, by stage
	prevStage [][]any
	byHash    map[uint64][]any // built on first need
	stage     [][]any
}

// of returns the summaries of stage s, which has text hash h.
func (m *summaries) of(s int, h uint64) []any {
	if m.stage[s] != nil {
		return m.stage[s]
	}
	switch {
	case s < len(m.prevOwn) && m.prevOwn[s] == h && m.prevStage[s] != nil:
		m.stage[s] = m.prevStage[s]
	case len(m.prevOwn) != len(m.stage) && len(m.prevStage) == len(m.prevOwn):
		if m.byHash == nil {
			m.byHash = make(map[uint64][]any, len(m.prevOwn))
			for t, sums := range m.prevStage {
				if sums != nil {
					m.byHash[m.prevOwn[t]] = sums
				}
			}
		}
		m.stage[s] = m.byHash[h]
	}
	if m.stage[s] == nil {
		m.stage[s] = make([]any, len(summaryKinds))
	}
	return m.stage[s]
}

// stageEntry is a stage's kept findings under its key.
type stageEntry struct {
	key   uint64
	e     *stageFindings
	found bool // e holds findings: a run reads e only then
}

// stageItem is a finding of a run in stage s (-1: before the first FROM).
type stageItem struct {
	s int
	foundItem
}

// stageFindings are the findings of the PerStage rules (and instruction
// errors) in one stage, with spans stored relative to an anchor.
type stageFindings struct {
	diags []Diagnostic
	// anchors lists, for every span of every diagnostic in walk order, the
	// stage it is relative to (-1: absolute, before the first FROM).
	anchors []int
}

// stageKeys hashes each stage's inputs, in time linear in the file. A
// stage holding an ONBUILD, or running one of the stage it is built on,
// gets key 0, which is never cached: what the trigger means depends on
// the stages built on its stage.
func (c *Cache) stageKeys(rc *runCtx, starts []int) (keys []uint64) {
	ix, cfg := rc.ix, rc.cfg
	if !c.seeded {
		c.seed, c.seeded = maphash.MakeSeed(), true
	}
	stages := ix.Stages()
	doc := ix.Doc
	var h maphash.Hash
	h.SetSeed(c.seed)
	prevOwn := c.own
	own := reuse(c.spare.own, stages.Len())
	spans := reuse(c.spare.spans, stages.Len())
	sums := reuse(c.spare.sums, stages.Len())
	// The text the document shares with the last run's: a stage in it,
	// at the place the last run's stage of its number had, has its hash.
	pre, post := -1, -1
	if c.doc != nil && c.escape == ix.Escape {
		pre, post = doc.Unchanged(c.doc)
	}
	n, docLen := stages.Len(), doc.Len()
	delta, tail := docLen-c.docLen, docLen-post
	ends := reuse(c.spare.vends, n) // each stage's view's end
	c.spare.vends = ends
	stages.Ends(ends)
	for s := range n {
		from := starts[s]
		if s > 0 {
			from = ends[s-1] // the comments above the FROM
		}
		end := docLen
		if s+1 < n {
			end = starts[s+1]
		}
		spans[s] = analysis.Span{Start: from, End: end}
	}
	// A stage keeps the hash of its text (and its summaries) when its span
	// is the last run's at its number, before the edit or after it (moved
	// by delta). The runs of such stages at the start and, when the count
	// is the same, at the end are found first and copied whole: a
	// keystroke reaches one stage of a thousand.
	lo, hi := 0, n
	if last := c.spans[:min(n, len(c.spans))]; len(last) > 0 {
		now := spans[:len(last)]
		for lo < len(last) && now[lo].End <= pre && now[lo] == last[lo] {
			lo++
		}
		if len(c.spans) == n {
			for hi > lo && now[hi-1].Start >= tail && now[hi-1].Start-delta == last[hi-1].Start && now[hi-1].End-delta == last[hi-1].End {
				hi--
			}
		}
	}
	keep := func(from, to int) {
		if from >= to {
			return
		}
		copy(own[from:to], prevOwn[from:to])
		copy(sums[from:to], c.sums[min(from, len(c.sums)):min(to, len(c.sums))])
	}
	keep(0, lo)
	keep(hi, n)
	hashed := n // the first stage whose text is hashed anew
	for s := lo; s < hi; s++ {
		sp := spans[s]
		if s < len(c.spans) {
			if was := c.spans[s]; sp.End <= pre && was == sp || sp.Start >= tail && was == sp.Shift(-delta) {
				own[s] = prevOwn[s]
				if s < len(c.sums) {
					sums[s] = c.sums[s] // the same text at the same number (summaries.of)
				}
				continue
			}
		}
		h.Reset()
		h.WriteByte(ix.Escape) // the text means something else under another escape
		h.WriteString(doc.Slice(sp))
		own[s] = h.Sum64()
		hashed = min(hashed, s)
		switch {
		case s >= len(prevOwn):
		case own[s] != prevOwn[s]:
			rc.changed = append(rc.changed, s)
		case s < len(c.sums):
			sums[s] = c.sums[s] // the same text again (summaries.of)
		}
	}
	rc.sameCount = len(prevOwn) == stages.Len()
	// The last run's arrays are read in this run, and free in the next.
	c.spare.spans, c.spare.own = c.spans, prevOwn
	c.doc, c.docLen, c.spans, c.own, c.escape = doc, doc.Len(), spans, own, ix.Escape
	// The casing counts kept are the last hashes' (casingMajority).
	rc.casingCarry, c.casingKept = c.casingKept, false
	rc.own = own
	rc.sums = summaries{prevOwn: prevOwn, prevStage: c.sums, stage: sums}
	// What every stage depends on.
	h.Reset()
	h.WriteString(doc.Slice(analysis.Span{Start: 0, End: starts[0]}))
	h.WriteByte(ix.Escape)
	writeInt(&h, stages.Len())
	// The names, by their sum: a version carried from the last one has
	// the last one's without reading them.
	names := stages.NamesSum()
	writeInt(&h, int(names))
	// The names as the last run's: what it found of them holds (odd).
	c.oddKept = c.oddKept && names == c.names
	rc.namesSame = c.oddKept
	c.names = names
	writeConfig(&h, cfg)
	// The file facts PerStage rules read.
	if casingMajority(&Pass{Index: ix, run: rc}) {
		h.WriteByte(1)
	}
	global := h.Sum64()

	// chain[t] hashes stage t with the stages it is built on (through a
	// FROM built from ARGs too: the variables and working directory follow
	// the stage the defaults pick), so that a key covers a FROM chain in
	// one word (a stage is built on an earlier one).
	m := ix.Model()
	// A run with the last one's global inputs and stage count carries the
	// chains and keys of the stages whose inputs kept their hashes: a
	// chain is a function of the stage's number, text hash and base's
	// chain, a key of the global hash, the chain and the chains its
	// references name (and what they are: an unchanged text with the same
	// globals, names and base chain reads the same references).
	carry := c.keysKept && global == c.global && len(prevOwn) == stages.Len() && len(c.chain) == stages.Len()
	c.keysKept = false
	chain := reuse(c.spare.chain, n)
	bases := m.Bases()               // the model's: never written
	dirty := reuse(c.spare.dirty, n) // chain[t] is not the last run's
	c.spare.dirty = dirty
	keys = reuse(c.spare.keys, n)
	buf := c.buf[:0]
	put := func(v uint64) { buf = binary.LittleEndian.AppendUint64(buf, v) }
	hashChain := func(t int) {
		b := bases[t]
		buf = buf[:0]
		put(uint64(t))
		put(own[t])
		if b >= 0 && b < t { // a later base is not hashed
			put(chain[b])
		}
		chain[t] = maphash.Bytes(c.seed, buf)
		dirty[t] = !carry || chain[t] != c.chain[t]
	}
	p := &Pass{Index: ix, run: rc}
	// keyOf sets keys[s] from the chains, or 0 when the stage is not
	// cacheable.
	keyOf := func(s int) {
		keys[s] = 0
		st := stages.At(s)
		if st.BaseStage >= s || hasOnbuild(p, s) {
			return
		}
		buf = buf[:0]
		put(global)
		put(chain[s])
		cacheable := true
		for r := range m.StageRefSeq(s) {
			if r.Onbuild || r.Instruction < st.First || r.Instruction >= st.End {
				cacheable = false // an ONBUILD trigger of the stage it is built on
			}
			if r.Resolution == analysis.ResolvesOutOfRange {
				cacheable = false // an index past the stages counts what earlier stages add (Model.IndexedState)
			}
			if r.Target >= 0 && r.Target < n {
				put(uint64(r.Target))
				put(chain[r.Target])
			}
		}
		h := maphash.Bytes(c.seed, buf)
		if cacheable {
			keys[s] = h | 1
		}
	}
	if carry && n > 0 && len(c.bases) == n && &bases[0] == &c.bases[0] {
		// The model kept the last run's bases: the chains and keys are
		// the last run's but from the first stage hashed anew, where a
		// chain changes with its text or its base's chain, and a key
		// with its chain or a chain its references name (TargetUsers).
		c.keptRuns++
		copy(chain, c.chain)
		copy(keys, c.keys)
		redo := reuse(c.spare.redo, n)
		c.spare.redo = redo
		low := n // the first stage whose key is made again
		for t := hashed; t < n; t++ {
			if b := bases[t]; own[t] != prevOwn[t] || b >= 0 && b < t && dirty[b] {
				hashChain(t)
			}
			if dirty[t] {
				redo[t] = true
				low = min(low, t)
				for _, u := range m.TargetUsers(t) {
					redo[u] = true
					low = min(low, int(u))
				}
			}
		}
		for s := low; s < n; s++ {
			if redo[s] {
				keyOf(s)
				rc.rekeyed = append(rc.rekeyed, s)
			}
		}
		rc.keysCarried = true
	} else {
		for t := range n {
			if carry && own[t] == prevOwn[t] && t < len(c.bases) && bases[t] == c.bases[t] && (bases[t] < 0 || bases[t] >= t || !dirty[bases[t]]) {
				chain[t] = c.chain[t]
				continue
			}
			hashChain(t)
		}
		// namesDirty reports whether a reference of stage s names a stage
		// whose chain changed.
		namesDirty := func(s int) bool {
			for t := range m.TargetsOf(s) {
				if t >= 0 && t < n && dirty[t] {
					return true
				}
			}
			return false
		}
		for s := range n {
			if carry && !dirty[s] && !namesDirty(s) {
				keys[s] = c.keys[s]
				continue
			}
			keyOf(s)
		}
	}
	c.buf = buf
	c.spare.chain, c.spare.keys = c.chain, c.keys
	c.global, c.chain, c.bases, c.keys, c.keysKept = global, chain, bases, keys, true
	return keys
}

// depsOf returns the stages stage s depends on, as its key hashes them:
// its FROM chain, and the stages its references name with their chains.
func depsOf(ix *analysis.Index, stages analysis.StageViews, s int) []int {
	seen := map[int]bool{}
	var out []int
	m := ix.Model()
	chain := func(t int) {
		for ; t >= 0 && t < stages.Len() && !seen[t]; t = m.BaseOf(t) {
			seen[t] = true
			out = append(out, t)
		}
	}
	chain(s)
	for _, r := range m.StageRefs(s) {
		chain(r.Target)
	}
	return out
}

var onbuildSummary = newSummaryKind("onbuild")

// hasOnbuild reports whether stage s holds an ONBUILD trigger: what it
// means depends on the stages built on s.
func hasOnbuild(p *Pass, s int) bool {
	return p.stageSummary(onbuildSummary, s, onbuildIn).(bool)
}

// onbuildIn is the onbuildSummary of a stage's instructions.
func onbuildIn(nodes []analysis.Node) any {
	for _, n := range nodes {
		if n.Cmd == "onbuild" {
			return true
		}
	}
	return false
}

func writeInt(h *maphash.Hash, v int) {
	var b [8]byte
	for i := range b {
		b[i] = byte(v >> (8 * i))
	}
	h.Write(b[:])
}

// writeConfig hashes what PerStage rules may read of cfg: every setting
// but the cache and the build context's files (only File rules read
// those); the .dockerignore by its patterns. It runs on every keystroke,
// so it writes the fields itself: printing the struct (with the severity
// map sorted) cost a quarter of a keystroke. TestWriteConfigCoversConfig
// fails when a field added to Config is not hashed.
func writeConfig(h *maphash.Hash, cfg *Config) {
	// The severities in any order: a sum of one hash per entry.
	var sum uint64
	var e maphash.Hash
	e.SetSeed(h.Seed())
	for name, sev := range cfg.Severity {
		e.Reset()
		e.WriteString(name)
		e.WriteByte(0)
		writeInt(&e, int(sev))
		sum += e.Sum64()
	}
	writeInt(h, len(cfg.Severity))
	writeInt(h, int(sum))
	writeStrings(h, cfg.Targets)
	writeContexts(h, cfg.Contexts)
	writeInt(h, len(cfg.Builds))
	for _, b := range cfg.Builds {
		writeString(h, b.Label)
		writeStrings(h, b.Targets)
		writeContexts(h, b.Contexts)
	}
	writeIgnore(h, cfg.Ignore)
}

// writeString hashes s, its length first, so that two strings in a row
// cannot read as two others.
func writeString(h *maphash.Hash, s string) {
	writeInt(h, len(s))
	h.WriteString(s)
}

func writeStrings(h *maphash.Hash, list []string) {
	writeInt(h, len(list))
	for _, s := range list {
		writeString(h, s)
	}
}

func writeContexts(h *maphash.Hash, list []analysis.NamedContext) {
	writeInt(h, len(list))
	for _, c := range list {
		writeString(h, c.Name)
		writeString(h, c.Value)
		writeString(h, c.Source)
		writeString(h, c.File)
		writeInt(h, c.Span.Start)
		writeInt(h, c.Span.End)
	}
}

// writeIgnore hashes a .dockerignore by its patterns.
func writeIgnore(h *maphash.Hash, m *patternmatcher.PatternMatcher) {
	if m != nil {
		h.WriteByte(1)
		for _, p := range m.Patterns() {
			h.WriteString(p.String())
			if p.Exclusion() {
				h.WriteByte('!')
			}
			h.WriteByte(0)
		}
	}
	h.WriteByte(0)
}

// anchorer places spans relative to the stages a finding may point into.
type anchorer struct {
	starts []int // FROM offsets
	ends   []int // where each stage's keyed text ends
	pre    int   // end of the text before the first FROM
}

// encode makes d's spans relative to stage s, the preamble or one of
// deps; ok is false when a span lies elsewhere.
func (a *anchorer) encode(d Diagnostic, s int, deps []int) (Diagnostic, []int, bool) {
	var anchors []int
	ok := true
	place := func(sp analysis.Span) analysis.Span {
		if !ok {
			return sp
		}
		if sp.End <= a.pre && sp.Start >= 0 {
			anchors = append(anchors, -1)
			return sp
		}
		t := sort.SearchInts(a.starts, sp.Start+1) - 1
		if t < 0 || !slices.Contains(deps, t) || sp.End > a.ends[t] || sp.End < sp.Start {
			ok = false
			return sp
		}
		anchors = append(anchors, t)
		return sp.Shift(-a.starts[t])
	}
	d = mapSpans(d, place)
	detach(&d)
	return d, anchors, ok
}

// detach copies the strings of d, which may be slices of the document's
// text: a kept finding must not pin an old version's text.
func detach(d *Diagnostic) {
	d.Message = strings.Clone(d.Message)
	for i := range d.Related {
		d.Related[i].Message = strings.Clone(d.Related[i].Message)
	}
	for i := range d.Fixes {
		d.Fixes[i].Title = strings.Clone(d.Fixes[i].Title)
		for j := range d.Fixes[i].Edits {
			d.Fixes[i].Edits[j].Text = strings.Clone(d.Fixes[i].Edits[j].Text)
		}
	}
}

// decode places the spans of a stored diagnostic at the stages' current
// offsets.
func (a *anchorer) decode(d Diagnostic, anchors []int) Diagnostic {
	k := 0
	return mapSpans(d, func(sp analysis.Span) analysis.Span {
		t := anchors[k]
		k++
		if t < 0 {
			return sp
		}
		return sp.Shift(a.starts[t])
	})
}

// mapSpans returns d with f applied to every span, in a fixed order,
// copying what it changes.
func mapSpans(d Diagnostic, f func(analysis.Span) analysis.Span) Diagnostic {
	d.Span = f(d.Span)
	if len(d.Related) > 0 {
		rel := make([]Related, len(d.Related))
		for i, r := range d.Related {
			rel[i] = Related{Span: f(r.Span), Message: r.Message}
		}
		d.Related = rel
	}
	if len(d.Fixes) > 0 {
		fixes := make([]Fix, len(d.Fixes))
		for i, fx := range d.Fixes {
			edits := make([]analysis.Edit, len(fx.Edits))
			for j, e := range fx.Edits {
				edits[j] = analysis.Edit{Span: f(e.Span), Text: e.Text}
			}
			fixes[i] = Fix{Title: fx.Title, Edits: edits, Preferred: fx.Preferred}
		}
		d.Fixes = fixes
	}
	return d
}

// runCached runs the rules over ix, taking the findings of the stages
// whose inputs did not change from the cache. Its result equals runFull's.
func (c *Cache) runCached(rc *runCtx) []Diagnostic {
	c.mu.Lock()
	defer c.mu.Unlock()
	ix := rc.ix
	stages := ix.Stages()
	n := stages.Len()
	starts := reuse(c.spare.starts, n)
	c.spare.starts = starts
	stages.Starts(starts)
	rc.cache = c // casingMajority keeps its counts in it while the keys are made
	keys := c.stageKeys(rc, starts)
	a := &anchorer{starts: starts, ends: reuse(c.spare.ends, n), pre: starts[0]}
	c.spare.ends = a.ends
	copy(a.ends, starts[1:])
	a.ends[n-1] = ix.Doc.Len()
	rc.keys, rc.anchor, rc.cache = keys, a, c
	c.memoNext = make(map[string][]memoSlot, len(c.memo))
	c.memoSeenNext = make(map[string]memoSeen, len(c.memoSeen))
	// A stage whose key is its entry's takes the entry's findings
	// (kept); the others are wanted. The entries of kept stages that
	// hold findings, and the wanted stages, are listed (visit).
	want := reuse(c.spare.want, n)
	c.spare.want = want
	old := c.entries
	inPlace := len(old) == n // the slots take this run's entries in place
	visit := c.spare.visit[:0]
	for s, k := range keys {
		if s < len(old) && old[s].key == k && k != 0 && old[s].e != nil {
			if old[s].found || !inPlace {
				visit = append(visit, s)
			}
			continue
		}
		want[s] = true
		visit = append(visit, s)
	}

	active := rc.active()
	look := want // the stages the PerStage rules look at
	if !slices.Contains(want, false) {
		look = nil // all of them: the whole file's views serve
	}
	// This run's findings with their stage (-1: before the first FROM),
	// but for the PerStage findings of the stages kept from the cache.
	// Within a stage they are in rule order, then report order: all the
	// sort by start and rule keeps of an order is that of one rule's
	// findings.
	items := c.spare.items[:0]
	add := func(ds []Diagnostic, perStage bool) {
		for _, d := range ds {
			s := sort.SearchInts(starts, d.Span.Start+1) - 1
			if perStage && s >= 0 && !want[s] {
				continue
			}
			items = append(items, stageItem{s, foundItem{d, perStage}})
		}
	}
	add(rc.errors(look), true)
	for _, r := range active {
		if r.perStage() {
			add(rc.collect(r, look), true)
		} else {
			add(rc.collect(r, nil), false)
		}
	}
	slices.SortStableFunc(items, func(x, y stageItem) int { return x.s - y.s })
	all := items
	for _, it := range items {
		visit = append(visit, it.s)
	}
	slices.Sort(visit)
	visit = slices.Compact(visit)

	// The stages visited in order: the slots of the others keep their
	// entries (in place), or are copied (inPlace unset). A slot left
	// empty or with an older key is never taken.
	next := old
	if !inPlace {
		next = make([]stageEntry, n)
	}
	var out []Diagnostic
	for _, s := range visit {
		var its []foundItem
		for len(items) > 0 && items[0].s == s {
			its = append(its, items[0].foundItem)
			items = items[1:]
		}
		var list []Diagnostic
		switch {
		case s >= 0 && !want[s]:
			en := old[s]
			an := en.e.anchors
			for _, d := range en.e.diags {
				n := spanCount(d)
				list = append(list, a.decode(d, an[:n]))
				an = an[n:]
			}
			next[s] = en
		case s >= 0:
			next[s] = stageEntry{}
			if keys[s] == 0 {
				break
			}
			store := &stageFindings{}
			var deps []int
			for _, it := range its {
				if !it.perStage {
					continue
				}
				if deps == nil {
					deps = depsOf(ix, stages, s)
				}
				e, an, ok := a.encode(it.d, s, deps)
				if !ok {
					store = nil // a span this key does not place: run it again next time
					break
				}
				store.diags = append(store.diags, e)
				store.anchors = append(store.anchors, an...)
			}
			if store != nil {
				next[s] = stageEntry{keys[s], store, len(store.diags) > 0}
			}
		}
		if len(list)+len(its) == 0 {
			continue
		}
		for _, it := range its {
			list = append(list, it.d)
		}
		sortDiagnostics(list)
		out = append(out, list...)
	}
	c.entries = next
	clear(all) // pins no finding
	c.spare.visit, c.spare.items = visit[:0], all[:0]
	c.spare.memo, c.memo, c.memoNext = c.memo, c.memoNext, nil
	c.memoSeen, c.memoSeenNext = c.memoSeenNext, nil
	c.spare.sums, c.sums = c.sums, rc.sums.stage
	out = withTriggers(rc, dropReplacedErrors(out)) // before c.with: it keeps its list of stages
	c.with = rc.with
	return out
}

// foundItem is a finding of a run, and whether a PerStage rule made it.
type foundItem struct {
	d        Diagnostic
	perStage bool
}

// spanCount returns the number of spans mapSpans visits in d.
func spanCount(d Diagnostic) int {
	n := 1 + len(d.Related)
	for _, f := range d.Fixes {
		n += len(f.Edits)
	}
	return n
}

// memoEntry is what a whole-file rule found in one stage (spans relative
// to it), with the reads of the build context the finding rests on.
type memoEntry struct {
	stageFindings
	reads []ctxRead
}

// stageMemo returns the findings compute gives for stage s, for a
// whole-file rule whose findings in a stage depend only on what a PerStage
// rule's do (the stage's key), on what base hashes (memoBase) and on the
// build context it is given. An incremental run keeps them by stage: it
// reuses them while the stage's key, base and the answer of every read
// compute made of the build context's files are unchanged (the reads are
// made again to check), and the findings lie in the stage. compute must
// report through its result, not p.
func (p *Pass) stageMemo(s int, base uint64, ctx analysis.BuildContext, compute func(analysis.BuildContext) []Diagnostic) []Diagnostic {
	rc := p.run
	if rc == nil || rc.cache == nil || rc.keys[s] == 0 {
		return compute(ctx)
	}
	c := rc.cache
	key := rc.keys[s]
	a := rc.anchor
	// A stage's findings are kept at its number: a stage that moved (the
	// stage count changed) runs again.
	prev, next := p.memoSlots()
	if s < len(prev) && prev[s].e != nil && prev[s].base == base && prev[s].key == key && (len(prev[s].e.reads) == 0 || replay(c.seed, ctx.FS, prev[s].e.reads)) {
		e := prev[s].e
		next[s] = prev[s]
		if len(e.diags) == 0 {
			return nil
		}
		var out []Diagnostic
		an := e.anchors
		for _, d := range e.diags {
			n := spanCount(d)
			out = append(out, a.decode(d, an[:n]))
			an = an[n:]
		}
		return out
	}
	rec := &recordFS{fsys: ctx.FS, seed: c.seed}
	if ctx.FS != nil {
		ctx.FS = rec
	}
	out := compute(ctx)
	if rec.opaque {
		return out
	}
	if len(out) == 0 && len(rec.reads) == 0 {
		next[s] = memoSlot{base, key, noFindings}
		return out
	}
	e := &memoEntry{reads: rec.reads}
	for _, d := range out {
		enc, an, ok := a.encode(d, s, []int{s})
		if !ok {
			return out // a span outside the stage: not kept
		}
		e.diags = append(e.diags, enc)
		e.anchors = append(e.anchors, an...)
	}
	next[s] = memoSlot{base, key, e}
	return out
}

// memoSlots returns the kept findings of p's rule by stage, the last
// run's and this run's.
func (p *Pass) memoSlots() (prev, next []memoSlot) {
	rc, c := p.run, p.run.cache
	if rc.memoRule != p.Rule {
		rc.memoRule, rc.memoPrev, rc.memoCur = p.Rule, c.memo[p.Rule.Name], c.memoNext[p.Rule.Name]
		if rc.memoCur == nil {
			rc.memoCur = reuse(c.spare.memo[p.Rule.Name], len(rc.keys))
			c.memoNext[p.Rule.Name] = rc.memoCur
		}
	}
	return rc.memoPrev, rc.memoCur
}

// memoSeen is what memoStages saw of a rule in one run: the memo base,
// the number of stages, and the stages it looked at whose slot is not the
// shared no-findings entry (findings, reads, or nothing kept).
type memoSeen struct {
	base    uint64
	n       int
	special []int
}

// memoStages reports, stage by stage in order, the findings compute gives
// for every stage keep holds (nil: every stage), through stageMemo: a
// stage whose last findings were none, under the same key and base, takes
// them in the loop, without a call.
//
// When the run carried the keys (keysCarried) and the rule's base and
// stage count are the last run's, the slots are the last run's but for
// the stages whose key was made again and those whose slot was not the
// no-findings entry: only those are looked at.
func (p *Pass) memoStages(keep func(s int) bool, base uint64, ctx analysis.BuildContext, compute func(s int, ctx analysis.BuildContext) []Diagnostic) {
	n := p.Index.StageCount()
	rc := p.run
	one := func(s int) {
		for _, d := range p.stageMemo(s, base, ctx, func(ctx analysis.BuildContext) []Diagnostic { return compute(s, ctx) }) {
			p.Report(d)
		}
	}
	if rc == nil || rc.cache == nil {
		for s := 0; s < n; s++ {
			if keep == nil || keep(s) {
				one(s)
			}
		}
		return
	}
	c := rc.cache
	prev, next := p.memoSlots()
	seen := memoSeen{base: base, n: n}
	if was, ok := c.memoSeen[p.Rule.Name]; ok && rc.keysCarried && was.base == base && was.n == n && len(prev) == n && len(next) == n {
		copy(next, prev)
		for _, s := range mergeSorted(rc.rekeyed, was.special) {
			next[s] = memoSlot{}
			if keep != nil && !keep(s) {
				continue
			}
			one(s)
			if next[s].e != noFindings {
				seen.special = append(seen.special, s)
			}
		}
	} else {
		for s := 0; s < n; s++ {
			if keep != nil && !keep(s) {
				continue
			}
			if s < len(prev) {
				if sl := prev[s]; sl.e == noFindings && sl.base == base && sl.key == rc.keys[s] && sl.key != 0 {
					next[s] = sl
					continue
				}
			}
			one(s)
			if next[s].e != noFindings {
				seen.special = append(seen.special, s)
			}
		}
	}
	c.memoSeenNext[p.Rule.Name] = seen
}

// mergeSorted returns the union of two ascending lists, ascending.
func mergeSorted(a, b []int) []int {
	out := make([]int, 0, len(a)+len(b))
	for len(a) > 0 || len(b) > 0 {
		switch {
		case len(b) == 0 || len(a) > 0 && a[0] < b[0]:
			out, a = append(out, a[0]), a[1:]
		case len(a) == 0 || b[0] < a[0]:
			out, b = append(out, b[0]), b[1:]
		default:
			out, a, b = append(out, a[0]), a[1:], b[1:]
		}
	}
	return out
}

// noFindings is the memoEntry of every stage where a rule found nothing
// without reading the build context: the stages that did not change read
// one entry, not one each (a cache miss a stage when typing at a person's
// pace). Never changed.
var noFindings = &memoEntry{}

// memoBase hashes what stageMemo keys a rule's findings by besides the
// stage: the rule, the .dockerignore of ctx and parts (whatever else the
// rule reads). It is 0 outside incremental runs, where nothing is kept.
func (p *Pass) memoBase(ctx analysis.BuildContext, parts ...string) uint64 {
	if p.run == nil || p.run.cache == nil {
		return 0
	}
	var h maphash.Hash
	h.SetSeed(p.run.cache.seed)
	h.WriteString(p.Rule.Name)
	h.WriteByte(0)
	writeIgnore(&h, ctx.Ignore)
	for _, s := range parts {
		writeInt(&h, len(s))
		h.WriteString(s)
	}
	return h.Sum64()
}

// ctxRead is one read of the build context's files and a hash of its
// answer.
type ctxRead struct {
	op   byte // 's' Stat, 'd' ReadDir, 'f' ReadFile, 'g' Glob
	name string
	sum  uint64
}

// recordFS is a build context's file system that records every read and
// its answer. A read it cannot record (Open, whose file is read later)
// makes it opaque: nothing recorded then can be replayed.
type recordFS struct {
	fsys   fs.FS
	seed   maphash.Seed
	reads  []ctxRead
	opaque bool
}

func (r *recordFS) Open(name string) (fs.File, error) {
	r.opaque = true
	return r.fsys.Open(name)
}

func (r *recordFS) Stat(name string) (fs.FileInfo, error) {
	fi, err := fs.Stat(r.fsys, name)
	r.reads = append(r.reads, ctxRead{'s', name, sumStat(r.seed, fi, err)})
	return fi, err
}

func (r *recordFS) ReadDir(name string) ([]fs.DirEntry, error) {
	ds, err := fs.ReadDir(r.fsys, name)
	r.reads = append(r.reads, ctxRead{'d', name, sumDir(r.seed, ds, err)})
	return ds, err
}

func (r *recordFS) ReadFile(name string) ([]byte, error) {
	data, err := fs.ReadFile(r.fsys, name)
	r.reads = append(r.reads, ctxRead{'f', name, sumData(r.seed, data, err)})
	return data, err
}

func (r *recordFS) Glob(pattern string) ([]string, error) {
	ms, err := fs.Glob(r.fsys, pattern)
	r.reads = append(r.reads, ctxRead{'g', pattern, sumNames(r.seed, ms, err)})
	return ms, err
}

// replay makes the recorded reads again on fsys and reports whether every
// answer is the same.
func replay(seed maphash.Seed, fsys fs.FS, reads []ctxRead) bool {
	if len(reads) > 0 && fsys == nil {
		return false
	}
	for _, rd := range reads {
		var sum uint64
		switch rd.op {
		case 's':
			fi, err := fs.Stat(fsys, rd.name)
			sum = sumStat(seed, fi, err)
		case 'd':
			ds, err := fs.ReadDir(fsys, rd.name)
			sum = sumDir(seed, ds, err)
		case 'f':
			data, err := fs.ReadFile(fsys, rd.name)
			sum = sumData(seed, data, err)
		case 'g':
			ms, err := fs.Glob(fsys, rd.name)
			sum = sumNames(seed, ms, err)
		}
		if sum != rd.sum {
			return false
		}
	}
	return true
}

func sumErr(h *maphash.Hash, err error) {
	if err != nil {
		h.WriteByte(1)
		h.WriteString(err.Error())
	}
	h.WriteByte(0)
}

func sumStat(seed maphash.Seed, fi fs.FileInfo, err error) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	sumErr(&h, err)
	if fi != nil {
		h.WriteString(fi.Name())
		writeInt(&h, int(fi.Size()))
		writeInt(&h, int(fi.Mode()))
		writeInt(&h, int(fi.ModTime().UnixNano()))
	}
	return h.Sum64()
}

func sumDir(seed maphash.Seed, ds []fs.DirEntry, err error) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	sumErr(&h, err)
	for _, d := range ds {
		h.WriteString(d.Name())
		h.WriteByte(0)
		writeInt(&h, int(d.Type()))
	}
	return h.Sum64()
}

func sumData(seed maphash.Seed, data []byte, err error) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	sumErr(&h, err)
	writeInt(&h, len(data))
	h.Write(data)
	return h.Sum64()
}

func sumNames(seed maphash.Seed, names []string, err error) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	sumErr(&h, err)
	for _, n := range names {
		h.WriteString(n)
		h.WriteByte(0)
	}
	return h.Sum64()
}
