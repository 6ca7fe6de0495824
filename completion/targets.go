package completion

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
)

// TargetFile returns the items to offer at off in a file that names build
// targets (doc, at path p, indexed in ws): the stages of the Dockerfile a
// target builds, at a target, and its ARG names, at a build argument.
// Elsewhere such a file belongs to other tools, and nothing is offered.
func TargetFile(doc *analysis.Document, ws *workspace.Index, p string, off int, load workspace.Loader) []Item {
	return append(targetStages(doc, ws, p, off, load), buildArgNames(doc, ws, p, off, load)...)
}

// targetStages offers the named stages of the Dockerfile the target at
// off builds, that begin with what is typed (in any case).
func targetStages(doc *analysis.Document, ws *workspace.Index, p string, off int, load workspace.Loader) []Item {
	t, ok := ws.TargetAt(p, off)
	if !ok || t.Computed {
		return nil // a name built from pieces: no stage name replaces it
	}
	ix, ok := load(t.Dockerfile)
	if !ok {
		return nil
	}
	prefix := strings.ToLower(doc.Slice(analysis.Span{Start: t.Span.Start, End: off}))
	var items []Item
	for i, st := range ix.Stages().All() {
		if st.Name == "" || !strings.HasPrefix(strings.ToLower(st.Name), prefix) {
			continue
		}
		items = append(items, Item{
			Label:      st.Name,
			Kind:       Target,
			Detail:     fmt.Sprintf("stage %d of %s, FROM %s", i, filepath.Base(t.Dockerfile), st.Base),
			SortText:   sortKey(i),
			Edit:       t.Span,
			InsertText: st.Name,
		})
	}
	return items
}

// buildArgNames offers the ARG names of the Dockerfile that the build
// argument at off goes to, that begin with what is typed and that the same
// service, target or command does not pass already.
func buildArgNames(doc *analysis.Document, ws *workspace.Index, p string, off int, load workspace.Loader) []Item {
	args := ws.BuildArgs(p, doc.Text())
	for _, a := range args {
		if off < a.Span.Start || off > a.Span.End {
			continue
		}
		ix, ok := load(a.Dockerfile)
		if !ok {
			return nil
		}
		prefix := doc.Slice(analysis.Span{Start: a.Span.Start, End: off})
		seen := map[string]bool{}
		for _, other := range args {
			if other.Owner == a.Owner && other.Dockerfile == a.Dockerfile && other.Span != a.Span {
				seen[other.Name] = true
			}
		}
		var items []Item
		for i := range ix.Len() {
			n := ix.Node(i)
			if n.Cmd != "arg" {
				continue
			}
			for _, d := range n.Decls {
				name := d.Name.Value
				if seen[name] || !strings.HasPrefix(name, prefix) {
					continue
				}
				seen[name] = true
				detail := fmt.Sprintf("ARG of %s, line %d", filepath.Base(a.Dockerfile), ix.Doc.LineOf(n.Start)+1)
				if d.HasDefault {
					detail += ", default " + d.Value.Value
				}
				items = append(items, Item{Label: name, Kind: Variable, Detail: detail, SortText: sortKey(len(items)), Edit: a.Span, InsertText: name})
			}
		}
		return items
	}
	return nil
}
