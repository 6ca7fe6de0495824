package analysis

import "strings"

// Comment is a whole-line comment BuildKit attaches to the instruction
// after it.
type Comment struct {
	Text string // after `#`, trimmed
	Span Span   // the whole line, without its terminator
}

// Comments returns the comments BuildKit's parser attaches to instruction
// i (its PrevComment): the comment lines since the previous instruction,
// blank lines between them allowed, starting after the last empty `#`
// line, without the parser directives at the top of the file.
func (ix *Index) Comments(i int) []Comment {
	if i < 0 || i >= ix.n {
		return nil
	}
	doc := ix.Doc
	n := ix.Node(i)
	first := 0
	if i > 0 {
		prev := ix.Node(i - 1)
		first = doc.LineOf(prev.Start+prev.Len) + 1
	} else if k := len(ix.Directives); k > 0 {
		first = doc.LineOf(ix.Directives[k-1].Span.Start) + 1
	}
	var out []Comment
	off, k := doc.LineStart(first), 0
	for line, last := first, doc.LineOf(n.Start); line < last; line++ {
		raw, next := doc.LineAt(off, &k)
		span := Span{off, off + len(raw)}
		off = next
		if line == 0 {
			raw = strings.TrimPrefix(raw, "\uFEFF")
		}
		if !strings.HasPrefix(strings.TrimLeft(raw, " \t"), "#") {
			continue // a blank line
		}
		// BuildKit drops the line's first byte, not the `#` after an
		// indent: "  # x" is read as "# x".
		body := strings.TrimSpace(raw[1:])
		if body == "" {
			out = out[:0]
			continue
		}
		out = append(out, Comment{Text: body, Span: span})
	}
	return out
}

// StageDescription returns stage s's description as BuildKit's outline
// (`docker build --call=targets`) reads it: in the comments above its FROM,
// the first line that begins with the stage's name and a blank, without
// the name. An unnamed stage has none. Marker lines (`# @...`) and other
// comments are not descriptions as they do not start with the name.
func (ix *Index) StageDescription(s int) string {
	if s < 0 || s >= len(ix.stages) {
		return ""
	}
	st := ix.Stages().At(s)
	if st.Name == "" {
		return ""
	}
	prefix := st.LowerName() + " "
	// A comment's text lies between the instruction before and the FROM:
	// when that text does not hold the prefix, no comment starts with it.
	from, after := ix.Node(st.First), 0
	if st.First > 0 {
		prev := ix.Node(st.First - 1)
		after = prev.Start + prev.Len
	}
	if !strings.Contains(ix.Doc.Slice(Span{after, from.Start}), prefix) {
		return ""
	}
	for _, c := range ix.Comments(st.First) {
		if after, ok := strings.CutPrefix(c.Text, prefix); ok {
			return after
		}
	}
	return ""
}

// OutlineTarget is a stage as `docker build --call=targets` lists it.
type OutlineTarget struct {
	Stage       int
	Name        string // lower case, as BuildKit names targets; "" for an unnamed stage
	Description string
	Default     bool // the last stage, built without --target
	Base        string
}

// Outline lists the file's stages as build targets, in order.
func (ix *Index) Outline() []OutlineTarget {
	stages := ix.Stages()
	out := make([]OutlineTarget, stages.Len())
	for s, st := range stages.All() {
		out[s] = OutlineTarget{
			Stage:       s,
			Name:        st.LowerName(),
			Description: ix.StageDescription(s),
			Default:     s == stages.Len()-1,
			Base:        st.Base,
		}
	}
	return out
}
