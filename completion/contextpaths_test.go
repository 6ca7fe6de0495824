package completion

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/patternmatcher"

	"github.com/stagehand-ls/stagehand/analysis"
)

func TestContextPaths(t *testing.T) {
	fsys := fstest.MapFS{
		"go.mod":           {Data: []byte("module x")},
		"go.sum":           {Data: []byte("")},
		"cmd/app/main.go":  {Data: []byte("package main")},
		"cmd/tool/main.go": {Data: []byte("package main")},
		"node_modules/x":   {Data: []byte("")},
		".git/HEAD":        {Data: []byte("")},
		"secret.env":       {Data: []byte("")},
	}
	ignore, err := patternmatcher.New([]string{"node_modules", "*.env"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := analysis.BuildContext{FS: fsys, Ignore: ignore}
	for _, tc := range []struct {
		src  string // | marks the cursor
		want []string
		edit string // the text the items replace
	}{
		{"FROM a\nCOPY |", []string{"cmd/", "go.mod", "go.sum"}, ""},
		{"FROM a\nCOPY g| /x", []string{"go.mod", "go.sum"}, "g"},
		{"FROM a\nCOPY go.mod cmd/a|pp /x", []string{"app/"}, "app"},
		{"FROM a\nCOPY ./cmd/|", []string{"app/", "tool/"}, ""},
		{"FROM a\nCOPY .|", []string{".git/"}, "."},
		{"FROM a\nCOPY --from=a |", nil, ""},
		{"FROM a\nCOPY --ch|", nil, ""},
		{"FROM a\nRUN |", nil, ""},
		{"FROM a\nCOPY $HOME/|", nil, ""},
		{"FROM a\nADD https://x/|", nil, ""},
	} {
		off := strings.IndexByte(tc.src, '|')
		text := tc.src[:off] + tc.src[off+1:]
		ix := analysis.Parse(analysis.NewDocument(text))
		items := ContextPaths(ix, off, ctx)
		var got []string
		for _, it := range items {
			got = append(got, it.Label)
			if e := text[it.Edit.Start:it.Edit.End]; e != tc.edit || !it.Edit.Contains(off) {
				t.Errorf("%q: %s replaces %q, want %q", tc.src, it.Label, e, tc.edit)
			}
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.src, diff)
		}
	}
}
