package completion

import (
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// ContextPaths offers the files and folders of the build context for a
// COPY or ADD source at off: the entries of the folder typed so far that
// start with the rest of the word, less what the .dockerignore excludes.
// Folders end in "/" (or in "\\" in a Windows Dockerfile whose word uses
// it) so that completing goes on into them. Nothing is
// offered after --from (the sources are then in a stage or an image), in
// a heredoc, or in a word holding a variable or a URL.
func ContextPaths(ix *analysis.Index, off int, c analysis.BuildContext) []Item {
	if ix == nil || c.FS == nil || ix.Stale {
		return nil
	}
	n, ok := ix.NodeAt(off)
	if !ok || (n.Cmd != "copy" && n.Cmd != "add") || n.Flag("from") != nil || n.JSON {
		return nil
	}
	if off <= n.Abs(n.Keyword.Span).End {
		return nil
	}
	for _, f := range n.Flags {
		if n.Abs(f.Span).Contains(off) {
			return nil
		}
	}
	for _, h := range n.Heredocs() {
		if off >= n.Abs(h.Body).Start {
			return nil
		}
	}
	// The word at off, as typed: an argument that holds it, or nothing
	// yet (the cursor after a blank).
	edit := analysis.Span{Start: off, End: off}
	for _, a := range n.Args {
		if s := n.Abs(a.Span); s.Contains(off) {
			if s.Len() != len(a.Value) {
				return nil // quoted or split by a continuation
			}
			edit = s
			break
		}
	}
	typed := ix.Doc.Slice(analysis.Span{Start: edit.Start, End: off})
	if strings.HasPrefix(typed, "<<") || strings.ContainsAny(typed, "$*?[") || strings.Contains(typed, "://") {
		return nil
	}
	// Where the backslash is not the escape character (Windows
	// Dockerfiles), BuildKit building for Windows reads it as a path
	// separator and drops a drive letter (system.NormalizePath); where it
	// is, the lexer removes it from the word: nothing to offer after one.
	sep, seps := "/", "/"
	if ix.Escape != '\\' {
		seps = "/\\"
		if strings.ContainsRune(typed, '\\') && !strings.ContainsRune(typed, '/') {
			sep = "\\"
		}
	} else if strings.ContainsRune(typed, '\\') {
		return nil
	}
	dir, prefix := "", typed
	if k := strings.LastIndexAny(typed, seps); k >= 0 {
		dir, prefix = typed[:k+1], typed[k+1:]
	}
	rel := dir
	if seps != "/" {
		rel = strings.ReplaceAll(rel, "\\", "/")
		if len(rel) >= 2 && rel[1] == ':' && isLetter(rel[0]) {
			rel = rel[2:] // a drive letter
		}
	}
	rel = path.Clean("/" + rel)[1:]
	fsDir := rel
	if fsDir == "" {
		fsDir = "."
	}
	entries, err := fs.ReadDir(c.FS, fsDir)
	if err != nil {
		return nil
	}
	// The item replaces the last path element, from after the last "/" to
	// the end of the word.
	edit.Start += len(dir)
	var items []Item
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(prefix, ".")) {
			continue
		}
		if c.Ignored(path.Join(rel, name)) {
			continue
		}
		label, detail := name, "file in the build context"
		if e.IsDir() {
			label, detail = name+sep, "folder in the build context"
		}
		items = append(items, Item{Label: label, Kind: Value, Detail: detail, Edit: edit, InsertText: label})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Label < items[j].Label })
	for i := range items {
		items[i].SortText = sortKey(i)
	}
	return items
}

func isLetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }
