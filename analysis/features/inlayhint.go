package features

import (
	"strconv"

	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/stagehand-ls/stagehand/analysis"
)

// InlayKind tells what an inlay hint shows.
type InlayKind int

const (
	InlayBase       InlayKind = iota // a FROM base with its ARG defaults filled in
	InlayStageIndex                  // the index of an unnamed stage that numbers point to
	InlayStageName                   // the stage a numeric reference points to
)

// Inlay is a hint shown at a position: text that is not in the document.
type Inlay struct {
	Off     int
	Label   string
	Kind    InlayKind
	Tooltip string
}

// InlayHints returns the hints for the instructions that overlap sp, in
// document order:
//   - after a FROM base that uses ARGs, the base with their defaults in
//     (`FROM golang:${GO}` shows `golang:1.23`);
//   - after the base of an unnamed stage that a number refers to, its
//     index (`#0`);
//   - after a numeric `--from=N`, the stage it names.
func InlayHints(ix *analysis.Index, sp analysis.Span) []Inlay {
	var out []Inlay
	first := 0
	if n, ok := ix.NodeBefore(sp.Start); ok {
		first = n.Index
	}
	for i := first; i < ix.Len(); i++ {
		n := ix.Node(i)
		if n.Start > sp.End {
			break
		}
		if n.Start+n.Len < sp.Start {
			continue
		}
		if n.Cmd == "from" && n.Base() != nil {
			end := n.Abs(n.Base().Span).End
			if len(n.Uses) > 0 {
				if v, ok := expandBase(ix, ix.Doc.Slice(n.Abs(n.Base().Span))); ok && v != n.Base().Value {
					out = append(out, Inlay{Off: end, Label: v, Kind: InlayBase, Tooltip: "the base with the ARG defaults"})
				}
			}
			if s := ix.StageOf(i); s >= 0 && n.Name() == nil && numberedStage(ix, s) {
				out = append(out, Inlay{Off: end, Label: "#" + strconv.Itoa(s), Kind: InlayStageIndex, Tooltip: "stage index"})
			}
		}
		for _, r := range n.Refs {
			if !r.Numeric || r.Kind == analysis.RefFrom || r.Resolution != analysis.ResolvesStage {
				continue
			}
			st := ix.Stage(r.Target)
			label := st.Name
			if label == "" {
				label = st.Base
				if v, ok := expandBase(ix, st.Base); ok {
					label = v
				}
			}
			if label == "" {
				continue
			}
			out = append(out, Inlay{Off: n.Abs(r.Value.Span).End, Label: label, Kind: InlayStageName, Tooltip: "stage " + strconv.Itoa(r.Target)})
		}
	}
	return out
}

// numberedStage reports whether some reference names stage s by number.
func numberedStage(ix *analysis.Index, s int) bool {
	for _, r := range ix.StageUses(s) {
		if r.Numeric {
			return true
		}
	}
	return false
}

// maxExpandedBase is the longest FROM value an inlay hint expands:
// BuildKit's lexer takes time quadratic in the nesting of `${A:-${B:-…}}`
// (10 s for a hostile line 60,000 deep), and a hint over a kilobyte long
// helps no reader.
const maxExpandedBase = 1024

// expandBase fills in the variables of a FROM value with the global ARGs
// of a build with no build arguments, with BuildKit's lexer, as the build
// does (an unset variable gives ""). ok is false when the lexer rejects it.
func expandBase(ix *analysis.Index, v string) (string, bool) {
	if len(v) > maxExpandedBase {
		return "", false
	}
	res, _, err := shell.NewLex(rune(ix.Escape)).ProcessWord(v, ix.Model().GlobalArgs(analysis.DefaultPlatform))
	return res, err == nil
}
