package server

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/stagehand-ls/stagehand/analysis"
)

func TestParseMarkers(t *testing.T) {
	doc := analysis.NewDocument(strings.Join([]string{
		`# @diag("FROM", "missing") @diag(re"x+")`,
		`# plain comment`,
		`FROM`,
		`  #   @diags(all)`,
		"# @hover(`raw`, 3, name)",
		`RUN x`,
		`# @last("nothing follows")`,
	}, "\n"))
	markers, errs := parseMarkers(doc)
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	type got struct {
		Name         string
		Args         []any
		Line, Target int
	}
	var gots []got
	for _, m := range markers {
		args := m.args
		for i, a := range args {
			if re, ok := a.(*regexp.Regexp); ok {
				args[i] = "re:" + re.String()
			}
		}
		gots = append(gots, got{m.name, args, m.line, m.target})
	}
	want := []got{
		{"diag", []any{"FROM", "missing"}, 0, 1},
		{"diag", []any{"re:x+"}, 0, 1},
		{"diags", []any{ident("all")}, 3, 5},
		{"hover", []any{"raw", 3, ident("name")}, 4, 5},
		{"last", []any{"nothing follows"}, 6, -1},
	}
	if diff := cmp.Diff(want, gots); diff != "" {
		t.Errorf("markers (-want +got):\n%s", diff)
	}
}

func TestParseMarkerErrors(t *testing.T) {
	for _, line := range []string{
		`@diag("unterminated)`,
		`@diag("a" "b")`,
		`@diag`,
		`@diag(re"(")`,
	} {
		if _, err := parseMarkerLine(line); err == nil {
			t.Errorf("parseMarkerLine(%q) = nil error", line)
		}
	}
}

// TestGoldenUpdate runs a marker archive with a missing golden section in
// update mode and checks the section was written, then runs it again
// without update.
func TestGoldenUpdate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.txtar")
	const src = "comment\n-- Dockerfile --\n# @diags(out)\nFROM alpine\nRUNN x\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("update", func(t *testing.T) { runMarkerTest(t, path, true) })
	a, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Files) != 2 || a.Files[1].Name != "@out" || !strings.HasPrefix(string(a.Files[1].Data), "3:1-3:5 error: unknown instruction: RUNN") {
		t.Fatalf("archive after update:\n%s", txtar.Format(a))
	}
	if string(a.Comment) != "comment\n" || string(a.Files[0].Data) != "# @diags(out)\nFROM alpine\nRUNN x\n" {
		t.Errorf("update changed more than the golden section:\n%s", txtar.Format(a))
	}
	t.Run("compare", func(t *testing.T) { runMarkerTest(t, path, false) })
}
