package completion

import (
	"fmt"
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

// stages offers the stages before limit whose label begins with prefix,
// ignoring case: named stages by name (once, as BuildKit picks the first of
// a name), unnamed ones by index.
func (c *context) stages(limit int, prefix string, edit analysis.Span) []Item {
	all := c.ix.Stages()
	limit = min(limit, len(all))
	if limit <= 0 {
		return nil
	}
	var items []Item
	var uses map[int][]analysis.StageRef
	for s := 0; s < limit; s++ {
		st := &all[s]
		label := st.Name
		if label == "" {
			label = strconv.Itoa(s)
		} else if c.ix.StageByName(label) != s {
			continue
		}
		if !hasPrefixFold(label, prefix) {
			continue
		}
		if uses == nil {
			uses = c.stageUses(limit)
		}
		items = append(items, Item{
			Label:         label,
			Kind:          Stage,
			Detail:        st.Base,
			Documentation: c.stageDoc(st, uses[s]),
			Edit:          edit,
			InsertText:    label,
			SortText:      sortKey(s),
		})
	}
	return items
}

// stageUses groups by stage the references that resolve to the stages
// before limit.
func (c *context) stageUses(limit int) map[int][]analysis.StageRef {
	uses := map[int][]analysis.StageRef{}
	for _, r := range c.ix.Refs() {
		if r.Resolution == analysis.ResolvesStage && r.Target >= 0 && r.Target < limit {
			uses[r.Target] = append(uses[r.Target], r)
		}
	}
	return uses
}

// stageDoc describes a stage in markdown: its FROM line and what uses it.
func (c *context) stageDoc(st *analysis.Stage, uses []analysis.StageRef) string {
	var b strings.Builder
	line := c.doc.LineOf(st.Span.Start)
	from := strings.TrimSpace(c.doc.Slice(analysis.Span{Start: c.doc.LineStart(line), End: c.doc.LineEnd(line)}))
	if st.Name != "" {
		fmt.Fprintf(&b, "Stage `%s` (stage %d), line %d:\n", st.Name, st.Index, line+1)
	} else {
		fmt.Fprintf(&b, "Unnamed stage %d, line %d:\n", st.Index, line+1)
	}
	b.WriteString("```dockerfile\n")
	b.WriteString(from)
	b.WriteString("\n```\n")
	if len(uses) == 0 {
		b.WriteString("\nNothing uses it yet.")
		return b.String()
	}
	b.WriteString("\nUsed by:")
	const most = 10
	for i, r := range uses {
		if i == most {
			fmt.Fprintf(&b, "\n- and %d more", len(uses)-most)
			break
		}
		what := "FROM"
		switch r.Kind {
		case analysis.RefCopyFrom:
			what = "--from"
		case analysis.RefMountFrom:
			what = "--mount from"
		}
		by := "before the first stage"
		if r.Stage >= 0 {
			by = "`" + c.ix.StageLabel(r.Stage) + "`"
		}
		fmt.Fprintf(&b, "\n- %s, %s on line %d", by, what, c.doc.LineOf(r.Span.Start)+1)
	}
	return b.String()
}
