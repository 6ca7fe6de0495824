package rules

import (
	"sync"

	"github.com/stagehand-ls/stagehand/analysis"
)

// A local rule looks at one instruction at a time and at nothing else: not
// the stage it is in, not the file's other instructions, not the settings.
// Its findings for an instruction are then a function of the instruction's
// text, and since an index shares unchanged instructions with the index it
// was updated from, they can be kept from one keystroke to the next: a
// Cache holds them by instruction, relative to its start.

// Cache keeps local rules' findings between runs. It is safe for
// concurrent use; the zero value is ready.
type Cache struct {
	mu      sync.Mutex
	entries map[cacheKey][]Diagnostic
}

type cacheKey struct {
	rule *Rule
	inst *analysis.Instruction
}

// cacheLimit bounds the entries kept: past it the cache starts afresh,
// which costs one full run.
const cacheLimit = 1 << 18

func (c *Cache) get(r *Rule, in *analysis.Instruction) ([]Diagnostic, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.entries[cacheKey{r, in}]
	return d, ok
}

func (c *Cache) put(r *Rule, in *analysis.Instruction, d []Diagnostic) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= cacheLimit {
		c.entries = map[cacheKey][]Diagnostic{}
	}
	c.entries[cacheKey{r, in}] = d
}

// runLocal runs a local rule over the instructions it looks at, taking
// what the cache has and keeping what it computes.
func runLocal(p *Pass, cache *Cache) {
	r := p.Rule
	nodes := p.Nodes()
	if len(r.Cmds) > 0 {
		nodes = p.NodesOf(r.Cmds...)
	}
	for _, n := range nodes {
		if cache != nil {
			if kept, ok := cache.get(r, n.Instruction); ok {
				for _, d := range kept {
					p.out = append(p.out, shift(d, n.Start))
				}
				continue
			}
		}
		before := len(p.out)
		r.Local(p, n)
		if cache != nil {
			found := make([]Diagnostic, 0, len(p.out)-before)
			for _, d := range p.out[before:] {
				found = append(found, shift(d, -n.Start))
			}
			cache.put(r, n.Instruction, found)
		}
	}
}

// shift moves every span of d by delta, copying what it changes.
func shift(d Diagnostic, delta int) Diagnostic {
	d.Span = d.Span.Shift(delta)
	if len(d.Related) > 0 {
		rel := make([]Related, len(d.Related))
		for i, r := range d.Related {
			rel[i] = Related{Span: r.Span.Shift(delta), Message: r.Message}
		}
		d.Related = rel
	}
	if len(d.Fixes) > 0 {
		fixes := make([]Fix, len(d.Fixes))
		for i, f := range d.Fixes {
			edits := make([]analysis.Edit, len(f.Edits))
			for j, e := range f.Edits {
				edits[j] = analysis.Edit{Span: e.Span.Shift(delta), Text: e.Text}
			}
			fixes[i] = Fix{Title: f.Title, Edits: edits, Preferred: f.Preferred}
		}
		d.Fixes = fixes
	}
	return d
}
