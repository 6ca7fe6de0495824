package completion

import (
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// keywords offers instruction keywords at the start of an instruction (or
// after ONBUILD), in the file's casing convention.
func (c *context) keywords() []Item {
	prefix := c.word[:c.cur]
	for i := 0; i < len(prefix); i++ {
		if b := prefix[i]; !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z') {
			return nil
		}
	}
	lower := c.lowerCase()
	// Before the first FROM, BuildKit takes only ARG (and the FROM itself).
	beforeFirst := !c.onbuild && (c.ix.StageCount() == 0 || c.start <= c.ix.Stage(0).Span.Start)
	edit := c.span(c.ws, c.we)
	atEnd := c.we == len(c.text)
	var items []Item
	for i := range analysis.Instructions {
		in := &analysis.Instructions[i]
		switch {
		case in.Deprecated:
			continue
		case c.onbuild && !in.Trigger:
			continue
		case beforeFirst && in.Name != "ARG" && in.Name != "FROM":
			continue
		}
		label := in.Name
		if lower {
			label = strings.ToLower(label)
		}
		if !hasPrefixFold(label, prefix) {
			continue
		}
		it := Item{
			Label:         label,
			Kind:          Keyword,
			Detail:        in.Syntax,
			Documentation: in.Doc + "\n\n[Dockerfile reference](" + in.URL + ")",
			Edit:          edit,
			InsertText:    label,
			SortText:      label,
		}
		if sn := in.Snippet; sn != "" && c.opts.Snippets && atEnd {
			if lower {
				sn = strings.ToLower(in.Name) + sn[len(in.Name):]
			}
			it.InsertText, it.Snippet = sn, true
		} else if atEnd {
			it.InsertText += " "
		}
		items = append(items, it)
	}
	return items
}

// lowerCase reports whether most of the file's keywords are lower case. It
// looks at up to 256 instructions spread over the file, leaving out the one
// being typed.
func (c *context) lowerCase() bool {
	n := c.ix.Len()
	step := max(1, n/256)
	lower, upper := 0, 0
	for i := 0; i < n; i += step {
		nd := c.ix.Node(i)
		if c.inNode && nd.Index == c.node.Index {
			continue
		}
		kw := nd.Keyword.Value
		switch {
		case kw == strings.ToLower(kw):
			lower++
		case kw == strings.ToUpper(kw):
			upper++
		}
	}
	return lower > upper
}
