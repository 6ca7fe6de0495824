package textdiff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestUnifiedDiffApplies checks the diffs with patch(1): each applied to
// the old text gives the new one. internal/format's TestFmtDiffApplies does
// the same for `stagehand fmt -d`.
func TestUnifiedDiffApplies(t *testing.T) {
	var long []string
	for i := 0; i < 40; i++ {
		long = append(long, "RUN echo "+strings.Repeat("x", i))
	}
	base := strings.Join(long, "\n") + "\n"
	for name, tc := range map[string][2]string{
		"two hunks":     {base, strings.Replace(strings.Replace(base, "echo x\n", "echo one\n", 1), "echo "+strings.Repeat("x", 35)+"\n", "echo two\nRUN added\n", 1)},
		"no final eol":  {"FROM a\nRUN b", "FROM a\nRUN c"},
		"add at end":    {"FROM a\n", "FROM a\nRUN b\n"},
		"delete at top": {"# c\nFROM a\nRUN b\n", "FROM a\nRUN b\n"},
		"crlf":          {"FROM a\r\nRUN  b\r\n", "FROM a\r\nRUN b\r\n"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(tc[0]), 0o644); err != nil {
				t.Fatal(err)
			}
			if got := testgen.Patch(t, dir, "Dockerfile", Unified("Dockerfile", tc[0], tc[1])); got != tc[1] {
				t.Errorf("patched text:\n%q\nwant\n%q", got, tc[1])
			}
		})
	}
	if d := Unified("Dockerfile", "same\n", "same\n"); d != "" {
		t.Errorf("equal texts: %q", d)
	}
}
