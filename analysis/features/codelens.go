package features

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// Lens is a line of information shown above a FROM.
type Lens struct {
	Span  analysis.Span // the FROM keyword
	Stage int
	Title string
}

// Lenses returns a lens for each stage: which stages use it, or that
// nothing does, or that it is the final stage, the one a plain build
// produces. Given named contexts (nil for none), a stage a context
// replaces says so, and uses no stage (BuildKit builds none of its
// instructions).
func Lenses(ix *analysis.Index, contexts []analysis.NamedContext) []Lens {
	m := ix.Model()
	out := make([]Lens, 0, ix.StageCount())
	for s := range ix.StageCount() {
		from := ix.Node(ix.Stage(s).First)
		var parts []string
		if s == ix.StageCount()-1 {
			parts = append(parts, "final stage")
		}
		users := m.Users(s)
		if len(contexts) > 0 {
			users = slices.DeleteFunc(slices.Clone(users), func(u int) bool {
				_, replaced := m.ReplacedBy(u, contexts)
				return replaced
			})
		}
		if c, ok := m.ReplacedBy(s, contexts); ok {
			parts = append(parts, fmt.Sprintf("not built: the named build context `%s` (%s) replaces it", c.Name, c.Source))
		} else if len(users) > 0 {
			labels := make([]string, 0, min(len(users), maxLensNames)+1)
			for _, u := range users[:min(len(users), maxLensNames)] {
				labels = append(labels, stageShort(ix, u))
			}
			if len(users) > maxLensNames {
				labels = append(labels, "…")
			}
			word := "stage"
			if len(users) > 1 {
				word = "stages"
			}
			parts = append(parts, fmt.Sprintf("used by %d %s: %s", len(users), word, strings.Join(labels, ", ")))
		} else if s == m.EpochStage() {
			parts = append(parts, "gives the build's SOURCE_DATE_EPOCH")
		} else if s != ix.StageCount()-1 {
			parts = append(parts, "not used by any stage")
		}
		out = append(out, Lens{Span: from.Abs(from.Keyword.Span), Stage: s, Title: strings.Join(parts, " · ")})
	}
	return out
}

// maxLensNames is how many users a lens names before it stops.
const maxLensNames = 8
