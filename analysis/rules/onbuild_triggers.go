package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// BuildKit's checks on ONBUILD triggers. dockerfile2llb dispatches a
// stage's ONBUILD triggers at the start of each stage built FROM it that
// the build reaches (for `docker build --check`, the stages the last one
// reaches), before that stage's own instructions, and runs on them the
// checks it runs while dispatching (LegacyKeyValueFormat, JSONArgsRecommended,
// MultipleInstructionsDisallowed, ...): with the file's check directive
// only, never a `# check=` comment, and at the FROM line of the stage that
// runs them. What a trigger sets (ENV, WORKDIR, SHELL, CMD) is in place for
// that stage's own instructions too.
//
// withTriggers reads the file so: it places each dispatched trigger's text
// after its consumer's FROM line, runs the dispatch checks on that text,
// and maps the findings back: a trigger's finding to the trigger in the
// ONBUILD line (where its fix applies), related to the FROM of each stage
// that runs it.

// dispatchChecks are the rules BuildKit runs while it dispatches an
// instruction, which it runs on triggers too.
var dispatchChecks = map[string]bool{
	LegacyKeyValueFormat.Name:           true,
	SecretsUsedInArgOrEnv.Name:          true,
	JSONArgsRecommended.Name:            true,
	MultipleInstructionsDisallowed.Name: true,
	WorkdirRelativePath.Name:            true,
	ExposeProtoCasing.Name:              true,
	ExposeInvalidFormat.Name:            true,
	UndefinedVar.Name:                   true,
}

// triggerRunNote ends the message of the related place of a trigger's
// finding that names a stage running the trigger.
const triggerRunNote = "runs this ONBUILD trigger first; BuildKit reports it at this FROM"

// TriggerRun reports whether r is the related place of a finding on an
// ONBUILD trigger that names a stage running it (where BuildKit reports
// the finding).
func TriggerRun(r Related) bool { return strings.HasSuffix(r.Message, triggerRunNote) }

// segment is a piece of the expanded text: n bytes at x there, copied
// from the document at src; trigger is the dispatched trigger it is (an
// index of triggerMap.consumers), -1 for the document's own text.
type segment struct {
	x, n, src int
	trigger   int
}

// withTriggers returns out, the findings of rc's run, with those of the
// dispatch checks replaced by their findings on the file read with its
// dispatched triggers (see above). out is returned as it is when no
// trigger is dispatched.
func withTriggers(rc *runCtx, out []Diagnostic) []Diagnostic {
	ix := rc.ix
	if ix.StageCount() < 2 {
		return out
	}
	p := &Pass{Index: ix, Config: rc.cfg, facts: rc.shared, run: rc}
	holds := map[int]bool{}
	if rc.cache == nil {
		// The whole file's views, which the rules have built.
		for _, n := range p.NodesOf("onbuild") {
			holds[ix.StageOf(n.Index)] = true
		}
	} else {
		for _, s := range p.stagesWith(onbuildSummary, onbuildIn, func(v any) bool { return v.(bool) }) {
			holds[s] = true
		}
	}
	if len(holds) == 0 {
		return out
	}
	m := ix.Model()
	reached := m.DefaultReachable(ix.StageCount()-1, analysis.DefaultPlatform)
	doc := ix.Doc
	text := doc.Text()
	nl := analysis.Newline(doc)
	var tm triggerMap
	var b strings.Builder
	copyText := func(from, to int) {
		if to > from {
			tm.segs = append(tm.segs, segment{x: b.Len(), n: to - from, src: from, trigger: -1})
			b.WriteString(text[from:to])
		}
	}
	last := 0
	for s := range ix.StageCount() {
		base := m.BaseOf(s)
		if !reached[s] || base < 0 || !holds[base] {
			continue
		}
		from := ix.Node(ix.Stage(s).First)
		at, sep := doc.Len(), nl // after the FROM's last line
		if k := doc.LineOf(from.Start+max(from.Len-1, 0)) + 1; k < doc.LineCount() {
			at, sep = doc.LineStart(k), ""
		}
		copyText(last, at)
		b.WriteString(sep)
		last = at
		st := ix.Stage(base)
		for i := st.First; i < st.End; i++ {
			n := ix.Node(i)
			if n.Cmd != "onbuild" || len(n.Args) == 0 {
				continue
			}
			src := n.Abs(n.Args[0].Span).Start
			trig := strings.TrimRight(text[src:n.Start+n.Len], "\r\n")
			tm.segs = append(tm.segs, segment{x: b.Len(), n: len(trig), src: src, trigger: len(tm.consumers)})
			tm.consumers = append(tm.consumers, s)
			b.WriteString(trig)
			b.WriteString(nl)
		}
	}
	if len(tm.consumers) == 0 {
		return out
	}
	copyText(last, len(text))
	ix2 := analysis.Parse(analysis.NewDocument(b.String()))
	if ix2.ParseError != nil || ix2.StageCount() != ix.StageCount() {
		return out // a trigger BuildKit cannot read: InstructionError says so
	}
	cfg := *rc.cfg
	cfg.Cache = nil
	rc2 := &runCtx{ix: ix2, cfg: &cfg, shared: &facts{}, file: fileCheck(ix2)}
	kept := out[:0:0]
	for _, d := range out {
		if !dispatchChecks[d.Rule] {
			kept = append(kept, d)
		}
	}
	merged := map[string]int{} // a trigger's finding, once for every stage that runs it
	for _, r := range rc2.active() {
		if !dispatchChecks[r.Name] {
			continue
		}
		for _, d := range rc2.collect(r, nil) {
			md, consumer, ok := tm.diagnostic(d)
			if !ok {
				continue
			}
			if consumer < 0 {
				kept = append(kept, md)
				continue
			}
			st := ix.Stage(consumer)
			name := st.Name
			if name == "" {
				name = fmt.Sprint(consumer)
			}
			run := Related{Span: keywordSpan(ix.Node(st.First)), Message: "stage " + name + " " + triggerRunNote}
			key := fmt.Sprint(md.Span, md.Rule, md.Message)
			if k, ok := merged[key]; ok {
				kept[k].Related = append(kept[k].Related, run)
				continue
			}
			md.Related = append(md.Related, run)
			merged[key] = len(kept)
			kept = append(kept, md)
		}
	}
	sortDiagnostics(kept)
	return kept
}

// triggerMap maps places of the expanded text back to the document.
type triggerMap struct {
	segs      []segment // in order
	consumers []int     // the stage that runs each trigger
}

// span returns where s of the expanded text is in the document, and the
// trigger it lies in (-1 for the document's own text); ok is false when s
// is not within one segment (it touches a line break the expansion added).
func (tm triggerMap) span(s analysis.Span) (analysis.Span, int, bool) {
	for _, g := range tm.segs {
		if s.Start >= g.x && s.End <= g.x+g.n && (s.Start < g.x+g.n || s.Start == s.End) {
			return s.Shift(g.src - g.x), g.trigger, true
		}
	}
	return s, 0, false
}

// diagnostic maps d; consumer is the stage running the trigger d is on,
// -1 when d is on the document's own text. ok is false when d's place
// does not map.
func (tm triggerMap) diagnostic(d Diagnostic) (Diagnostic, int, bool) {
	sp, in, ok := tm.span(d.Span)
	if !ok {
		return d, 0, false
	}
	out := d
	out.Span = sp
	out.Related = nil
	for _, r := range d.Related {
		if rs, _, ok := tm.span(r.Span); ok {
			r.Span = rs
			out.Related = append(out.Related, r)
		}
	}
	out.Fixes = nil
	for _, f := range d.Fixes {
		edits := make([]analysis.Edit, 0, len(f.Edits))
		for _, e := range f.Edits {
			es, _, ok := tm.span(e.Span)
			if !ok {
				edits = nil
				break
			}
			edits = append(edits, analysis.Edit{Span: es, Text: e.Text})
		}
		if len(edits) > 0 {
			sort.SliceStable(edits, func(i, j int) bool { return edits[i].Span.Start < edits[j].Span.Start })
			f.Edits = edits
			out.Fixes = append(out.Fixes, f)
		}
	}
	if in < 0 {
		return out, -1, true
	}
	return out, tm.consumers[in], true
}
