package analysis

import (
	"strconv"
	"strings"
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
func (ix *Index) InlayHints(sp Span) []Inlay {
	var out []Inlay
	for i := max(ix.search(sp.Start)-1, 0); i < ix.n; i++ {
		n := ix.Node(i)
		if n.Start > sp.End {
			break
		}
		if n.Start+n.Len < sp.Start {
			continue
		}
		if n.Cmd == "from" && n.Base != nil {
			end := n.Abs(n.Base.Span).End
			if len(n.Uses) > 0 {
				if v, ok := ix.expand(i, n.Base.Value, 0); ok && v != n.Base.Value {
					out = append(out, Inlay{Off: end, Label: v, Kind: InlayBase, Tooltip: "the base with the ARG defaults"})
				}
			}
			if s := ix.StageOf(i); s >= 0 && n.Name == nil && ix.numberedStage(s) {
				out = append(out, Inlay{Off: end, Label: "#" + strconv.Itoa(s), Kind: InlayStageIndex, Tooltip: "stage index"})
			}
		}
		for _, r := range n.Refs {
			if !r.Numeric || r.Kind == RefFrom || r.Resolution != ResolvesStage {
				continue
			}
			st := ix.Stage(r.Target)
			label := st.Name
			if label == "" {
				label = st.Base
				if v, ok := ix.expand(st.First, st.Base, 0); ok {
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
func (ix *Index) numberedStage(s int) bool {
	for _, r := range ix.StageUses(s) {
		if r.Numeric {
			return true
		}
	}
	return false
}

// expand fills in the variables of a value used in instruction i with the
// defaults of the ARGs they resolve to, as far as they are known without
// build arguments: `$N`, `${N}`, `${N:-word}` and `${N-word}`.
func (ix *Index) expand(i int, v string, depth int) (string, bool) {
	if depth > 8 {
		return "", false
	}
	var b strings.Builder
	for k := 0; k < len(v); k++ {
		c := v[k]
		if c != '$' || k+1 == len(v) {
			b.WriteByte(c)
			continue
		}
		var name, word string
		hasWord, unsetOnly := false, false
		if v[k+1] == '{' {
			end := strings.IndexByte(v[k:], '}')
			if end < 0 {
				return "", false
			}
			body := v[k+2 : k+end]
			k += end
			name = body
			if p := strings.IndexAny(body, ":-+?"); p >= 0 {
				name = body[:p]
				switch {
				case strings.HasPrefix(body[p:], ":-"):
					word, hasWord = body[p+2:], true
				case body[p] == '-':
					word, hasWord, unsetOnly = body[p+1:], true, true
				default:
					return "", false
				}
			}
		} else {
			e := k + 1
			for e < len(v) && isNameByte(v[e], e == k+1) {
				e++
			}
			if e == k+1 {
				b.WriteByte(c)
				continue
			}
			name = v[k+1 : e]
			k = e - 1
		}
		val, set := ix.argDefault(i, name, depth)
		switch {
		case set && (val != "" || unsetOnly):
			b.WriteString(val)
		case hasWord:
			w, ok := ix.expand(i, word, depth+1)
			if !ok {
				return "", false
			}
			b.WriteString(w)
		default:
			return "", false
		}
	}
	return b.String(), true
}

// argDefault returns the default of the ARG name as seen from
// instruction i, expanded in turn; set is false when it has none.
func (ix *Index) argDefault(i int, name string, depth int) (string, bool) {
	site, ok := ix.ResolveVar(i, name)
	if !ok || !site.Decl.HasDefault {
		return "", false
	}
	return ix.expand(site.Instruction, site.Decl.Value.Value, depth+1)
}
