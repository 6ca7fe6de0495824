package analysis

import (
	"fmt"
	"strings"
)

// Lens is a line of information shown above a FROM.
type Lens struct {
	Span  Span // the FROM keyword
	Stage int
	Title string
}

// Lenses returns a lens for each stage: which stages use it, or that
// nothing does, or that it is the final stage, the one a plain build
// produces.
func (ix *Index) Lenses() []Lens {
	out := make([]Lens, 0, len(ix.stages))
	// Users of every stage in one pass over the references.
	users := make([][]int, len(ix.stages))
	for _, r := range ix.Refs() {
		if r.Resolution != ResolvesStage || r.Stage < 0 {
			continue
		}
		u := users[r.Target]
		if len(u) == 0 || u[len(u)-1] != r.Stage {
			users[r.Target] = append(u, r.Stage)
		}
	}
	for s := range ix.stages {
		from := ix.Node(ix.stages[s].first)
		var parts []string
		if s == len(ix.stages)-1 {
			parts = append(parts, "final stage")
		}
		if names := users[s]; len(names) > 0 {
			labels := make([]string, len(names))
			for i, u := range names {
				labels[i] = ix.stageShort(u)
			}
			word := "stage"
			if len(names) > 1 {
				word = "stages"
			}
			parts = append(parts, fmt.Sprintf("used by %d %s: %s", len(names), word, strings.Join(labels, ", ")))
		} else if s != len(ix.stages)-1 {
			parts = append(parts, "not used by any stage")
		}
		out = append(out, Lens{Span: from.Abs(from.Keyword.Span), Stage: s, Title: strings.Join(parts, " · ")})
	}
	return out
}
