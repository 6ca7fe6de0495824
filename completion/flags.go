package completion

import (
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// flags completes a word starting with `-` among an instruction's flags:
// the flag's name, or its value after `=`.
func (c *context) flags() []Item {
	info := analysis.LookupInstruction(c.kw)
	eq := strings.IndexByte(c.word, '=')
	if eq < 0 || c.cur <= eq {
		if info == nil {
			return nil
		}
		return c.flagNames(info, eq)
	}
	name := strings.ToLower(strings.TrimLeft(c.word[:eq], "-"))
	vs := c.ws + eq + 1 // the value's column
	value, vcur := c.word[eq+1:], c.cur-eq-1
	switch {
	case name == "from" && analysis.TakesFrom(c.kw):
		if c.onbuild { // resolved in the build that uses the image
			return nil
		}
		return c.stages(c.stageLimit(), value[:vcur], c.span(vs, c.we), analysis.RefCopyFrom)
	case name == "mount" && c.kw == "run":
		return c.mount(value, vcur, vs)
	}
	if info == nil {
		return nil
	}
	f := info.Flag(name)
	if f == nil {
		return nil
	}
	return values(f.Values, value[:vcur], c.span(vs, c.we), Value)
}

// flagNames offers the instruction's flags, leaving out those already
// given that may not repeat. eq is the position of `=` in the word, or -1.
func (c *context) flagNames(info *analysis.InstructionInfo, eq int) []Item {
	end := len(c.word)
	if eq >= 0 {
		end = eq
	}
	prefix := c.word[:c.cur]
	edit := c.span(c.ws, c.ws+end)
	given := map[string]bool{}
	for _, w := range c.words[1:] {
		n, _, _ := strings.Cut(strings.TrimLeft(w, "-"), "=")
		given[strings.ToLower(n)] = true
	}
	var items []Item
	for i, f := range c.ix.Frontend().Available(info) {
		label := "--" + f.Name
		if !hasPrefixFold(label, prefix) || given[f.Name] && !f.Repeatable {
			continue
		}
		it := Item{
			Label:         label,
			Kind:          Flag,
			Detail:        label + "=" + f.Placeholder,
			Documentation: withNote(f.Doc, analysis.SinceNote(c.kw, f.Name)) + "\n\n[Dockerfile reference](" + f.URL + ")",
			Edit:          edit,
			InsertText:    label,
			SortText:      sortKey(i),
		}
		if f.Bool {
			it.Detail = label
		}
		if eq < 0 && !f.Bool {
			it.InsertText += "="
			if c.opts.Snippets && len(f.Values) > 0 && !strings.HasPrefix(f.Values[0].Value, "$") {
				var vs []string
				for _, v := range f.Values {
					vs = append(vs, v.Value)
				}
				it.InsertText += "${1|" + strings.Join(vs, ",") + "|}"
				it.Snippet = true
			}
		}
		items = append(items, it)
	}
	return items
}

// withNote appends a sentence to a description, when there is one.
func withNote(doc, note string) string {
	if note == "" {
		return doc
	}
	return doc + "\n\n" + note
}

// values offers the values of vals that begin with prefix.
func values(vals []analysis.ValueInfo, prefix string, edit analysis.Span, kind Kind) []Item {
	var items []Item
	for i, v := range vals {
		if !hasPrefixFold(v.Value, prefix) {
			continue
		}
		items = append(items, Item{
			Label:         v.Value,
			Kind:          kind,
			Documentation: v.Doc,
			Edit:          edit,
			InsertText:    v.Value,
			SortText:      sortKey(i),
		})
	}
	return items
}

// mount completes inside a `--mount=` spec: the key of the field at the
// offset, or its value. spec is the flag's value, vcur the offset in it and
// vs its column in the line.
func (c *context) mount(spec string, vcur, vs int) []Item {
	m := analysis.ReadMount(analysis.Token{Span: analysis.Span{End: len(spec)}, Value: spec}, spec, c.esc)
	cur, ok := m.FieldAt(vcur)
	if !ok { // after a quote BuildKit rejects: the field is what follows the last comma
		fs := strings.LastIndexByte(spec[:vcur], ',') + 1
		cur = analysis.MountField{Span: analysis.Span{Start: fs, End: len(spec)}, Key: analysis.Token{Span: analysis.Span{Start: fs, End: len(spec)}, Value: spec[fs:]}}
	}
	// The type and the keys given in the other fields.
	typ := "bind"
	given := map[string]bool{}
	for _, f := range m.Fields {
		if f.Span == cur.Span {
			continue
		}
		if mk := analysis.LookupMountKey(f.Key.Value); mk != nil {
			given[mk.Name] = true
			if mk.Name == "type" {
				typ = strings.ToLower(f.Value.Value)
			}
		}
	}
	if ks := cur.Key.Span; !cur.HasValue || vcur <= ks.End {
		prefix := spec[ks.Start:max(vcur, ks.Start)]
		edit := c.span(vs+ks.Start, vs+ks.End)
		var items []Item
		for i, k := range analysis.MountKeysFor(typ) {
			if given[k.Name] || !hasPrefixFold(k.Name, prefix) {
				continue
			}
			it := Item{
				Label:         k.Name,
				Kind:          MountKey,
				Documentation: k.Doc,
				Edit:          edit,
				InsertText:    k.Name,
				SortText:      sortKey(i),
			}
			if len(k.Aliases) > 0 {
				it.Detail = "also " + strings.Join(k.Aliases, ", ")
			}
			if !cur.HasValue && !k.Bool {
				it.InsertText += "="
			}
			items = append(items, it)
		}
		return items
	}
	key := analysis.LookupMountKey(cur.Key.Value)
	if key == nil {
		return nil
	}
	prefix := spec[cur.Value.Span.Start:max(vcur, cur.Value.Span.Start)]
	edit := c.span(vs+cur.Value.Span.Start, vs+max(cur.Value.Span.End, vcur))
	switch key.Name {
	case "from":
		if c.onbuild {
			return nil
		}
		return c.stages(c.stageLimit(), prefix, edit, analysis.RefMountFrom)
	case "type":
		return values(key.Values, prefix, edit, MountType)
	}
	return values(key.Values, prefix, edit, Value)
}

// sortKey orders items by position.
func sortKey(i int) string {
	const digits = "0123456789"
	b := []byte{'0', '0', '0', '0', '0', '0'}
	for k := len(b) - 1; k >= 0 && i > 0; k-- {
		b[k] = digits[i%10]
		i /= 10
	}
	return string(b)
}
