package completion

import (
	"slices"
	"strconv"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// stageLimit returns the stage holding the offset: the stages before it are
// those a `--from` there may name.
func (c *context) stageLimit() int {
	if c.inNode {
		return max(0, c.ix.StageOf(c.node.Index))
	}
	return max(0, c.ix.StageAt(c.off))
}

// fromLimit returns the stage the FROM at the offset begins.
func (c *context) fromLimit() int {
	if c.inNode && c.node.Cmd == "from" {
		return max(0, c.ix.StageOf(c.node.Index))
	}
	return c.ix.StageAt(c.off) + 1
}

// stages offers the stages before limit that a reference of the given kind
// resolves to there, as BuildKit looks them up, whose label begins with
// prefix, ignoring case. A `--from` names a stage by name, in any casing
// (the last stage of a name), or by index; a mount's `from=` by name only
// (`from=0` is an image); a FROM by the name's lower case only (BuildKit
// compares the base with the lowered names as written: `FROM Build` is an
// image), the last stage of that name before it.
func (c *context) stages(limit int, prefix string, edit analysis.Span, kind analysis.RefKind) []Item {
	items := c.stageItems(limit, prefix, edit, kind)
	for _, it := range c.contexts(prefix, edit) {
		// A context of a stage's name replaces the stage: offered once.
		if !slices.ContainsFunc(items, func(o Item) bool { return strings.EqualFold(o.Label, it.Label) }) {
			items = append(items, it)
		}
	}
	return items
}

// contexts offers the named build contexts whose name begins with prefix
// (each once), after the stages.
func (c *context) contexts(prefix string, edit analysis.Span) []Item {
	var items []Item
	seen := map[string]bool{}
	for _, nc := range c.opts.Contexts {
		if seen[nc.Name] || !hasPrefixFold(nc.Name, prefix) {
			continue
		}
		seen[nc.Name] = true
		items = append(items, Item{
			Label:      nc.Name,
			Kind:       Context,
			Detail:     "named build context: " + nc.Value,
			Edit:       edit,
			InsertText: nc.Name,
			SortText:   "~" + nc.Name, // after the stages
		})
	}
	return items
}

// stageItems offers the stages before limit whose label begins with
// prefix, as stages does.
func (c *context) stageItems(limit int, prefix string, edit analysis.Span, kind analysis.RefKind) []Item {
	all := c.ix.Stages()
	limit = min(limit, all.Len())
	if limit <= 0 {
		return nil
	}
	// The stages offered, then what uses each of them, in one pass over
	// the references.
	var offered []int
	for s := 0; s < limit; s++ {
		view := all.At(s)
		st := &view
		if !resolvesTo(c.ix, st, limit, kind) {
			continue
		}
		if !hasPrefixFold(stageLabel(st), prefix) {
			continue
		}
		offered = append(offered, s)
	}
	if len(offered) == 0 {
		return nil
	}
	slot := make([]int32, limit)
	for i := range slot {
		slot[i] = -1
	}
	for i, s := range offered {
		slot[s] = int32(i)
	}
	uses := make([][]analysis.StageRef, len(offered))
	if !c.opts.LazyStageDocs {
		for _, r := range c.ix.Refs() {
			if r.Resolution == analysis.ResolvesStage && r.Target >= 0 && r.Target < limit && slot[r.Target] >= 0 {
				uses[slot[r.Target]] = append(uses[slot[r.Target]], r)
			}
		}
	}
	items := make([]Item, len(offered))
	for i, s := range offered {
		view := all.At(s)
		st := &view
		label := stageLabel(st)
		if kind == analysis.RefFrom {
			label = st.LowerName()
		}
		items[i] = Item{
			Label:      label,
			Kind:       Stage,
			Detail:     st.Base,
			Edit:       edit,
			InsertText: label,
			SortText:   sortKey(s),
			Stage:      s,
		}
		if !c.opts.LazyStageDocs {
			items[i].Documentation = stageDoc(c.doc, c.ix.StageDescription(s), all, st, uses[i])
		}
	}
	return items
}

// resolvesTo reports whether a reference of the given kind in stage limit
// resolves to stage st when it names st by its label.
func resolvesTo(ix *analysis.Index, st *analysis.Stage, limit int, kind analysis.RefKind) bool {
	if st.Name == "" {
		return kind == analysis.RefCopyFrom
	}
	if !validName(st.Name) {
		return false // BuildKit rejects the name, and the file with it
	}
	if kind != analysis.RefFrom {
		return ix.StageByName(st.Name) == st.Index
	}
	last := -1
	for _, s := range ix.StagesNamed(st.Name) {
		if s < limit {
			last = s
		}
	}
	return last == st.Index
}

// validName reports whether BuildKit takes name for a stage (reserved
// names included: BuildKit only warns about them). ASCII names are checked
// against a table, a thousand stages a keystroke; others by
// CheckStageName, which lower-cases them as BuildKit does first.
func validName(name string) bool {
	if name == "" || !nameStart[name[0]] {
		return name != "" && name[0] >= 0x80 && validByRule(name)
	}
	for i := 1; i < len(name); i++ {
		if !nameByte[name[i]] {
			return name[i] >= 0x80 && validByRule(name)
		}
	}
	return true
}

func validByRule(name string) bool {
	return analysis.CheckStageName(name) == nil || slices.Contains(analysis.ReservedStageNames, strings.ToLower(name))
}

// nameStart and nameByte are the ASCII bytes BuildKit's stage name pattern
// takes first and after, in either case.
var nameStart, nameByte = func() (start, rest [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		start[c], start[c-32], rest[c], rest[c-32] = true, true, true, true
	}
	for _, c := range "0123456789-_." {
		rest[c] = true
	}
	return start, rest
}()

// StageDoc returns the documentation of stage s's completion item, for
// clients that resolve items one at a time.
func StageDoc(ix *analysis.Index, s int) string {
	all := ix.Stages()
	if s < 0 || s >= all.Len() {
		return ""
	}
	var uses []analysis.StageRef
	for _, r := range ix.StageUses(s) {
		if r.Resolution == analysis.ResolvesStage {
			uses = append(uses, r)
		}
	}
	st := all.At(s)
	return stageDoc(ix.Doc, ix.StageDescription(s), all, &st, uses)
}

// stageLabel names a stage as a reference may: by name, or by index.
func stageLabel(st *analysis.Stage) string {
	if st.Name == "" {
		return strconv.Itoa(st.Index)
	}
	return st.Name
}

// stageDoc describes a stage in markdown: its FROM line, its description
// (as BuildKit's outline reads it) and what uses it.
func stageDoc(doc *analysis.Document, desc string, all analysis.StageViews, st *analysis.Stage, uses []analysis.StageRef) string {
	b := make([]byte, 0, 256)
	line := doc.LineOf(st.Span.Start)
	from := strings.TrimSpace(doc.Slice(analysis.Span{Start: doc.LineStart(line), End: doc.LineEnd(line)}))
	if st.Name != "" {
		b = append(b, "Stage `"...)
		b = append(b, st.Name...)
		b = append(b, "` (stage "...)
	} else {
		b = append(b, "Unnamed stage "...)
	}
	b = strconv.AppendInt(b, int64(st.Index), 10)
	if st.Name != "" {
		b = append(b, ')')
	}
	b = append(b, ", line "...)
	b = strconv.AppendInt(b, int64(line+1), 10)
	b = append(b, ":\n```dockerfile\n"...)
	b = append(b, from...)
	b = append(b, "\n```\n"...)
	if desc != "" {
		b = append(b, '\n')
		b = append(b, desc...)
		b = append(b, '\n')
	}
	if len(uses) == 0 {
		b = append(b, "\nNothing uses it yet."...)
		return string(b)
	}
	b = append(b, "\nUsed by:"...)
	const most = 10
	for i, r := range uses {
		if i == most {
			b = append(b, "\n- and "...)
			b = strconv.AppendInt(b, int64(len(uses)-most), 10)
			b = append(b, " more"...)
			break
		}
		what := "FROM"
		switch r.Kind {
		case analysis.RefCopyFrom:
			what = "--from"
		case analysis.RefMountFrom:
			what = "--mount from"
		}
		b = append(b, "\n- "...)
		switch {
		case r.Stage < 0 || r.Stage >= all.Len():
			b = append(b, "before the first stage"...)
		case all.At(r.Stage).Name != "":
			b = append(b, '`')
			b = append(b, all.At(r.Stage).Name...)
			b = append(b, '`')
		default:
			b = append(b, "`stage "...)
			b = strconv.AppendInt(b, int64(r.Stage), 10)
			b = append(b, " ("...)
			b = append(b, all.At(r.Stage).Base...)
			b = append(b, ")`"...)
		}
		b = append(b, ", "...)
		b = append(b, what...)
		b = append(b, " on line "...)
		b = strconv.AppendInt(b, int64(doc.LineOf(r.Span.Start)+1), 10)
	}
	return string(b)
}
