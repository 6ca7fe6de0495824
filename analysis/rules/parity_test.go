package rules

import (
	"fmt"
	"github.com/stagehand-ls/stagehand/internal/testgen"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
)

// BuildKit parity: tools/buildkit-parity runs BuildKit's own linter over
// the shared corpus and commits the rule, lines and message of each
// warning under testdata/buildkit-parity. This test runs our BuildKit-named
// rules over the same files and compares rule and message, instruction by
// instruction (BuildKit places a warning on an instruction's lines, we on
// the exact token; a message that differs is a difference both ways). Every
// difference must be listed, with its reason, in
// testdata/buildkit-parity/DIFFERENCES; a listed difference that no longer
// occurs fails the test too, so the list stays true.

const parityDir = "../../testdata/buildkit-parity"

var updateParity = os.Getenv("STAGEHAND_UPDATE_PARITY") != ""

// finding is a rule's message on an instruction, named by the
// instruction's first line.
type finding struct {
	line      int
	rule, msg string
}

func TestBuildKitParity(t *testing.T) {
	corpus := testgen.RequireCorpus(t)
	goldens, err := filepath.Glob(filepath.Join(parityDir, "*.txt"))
	if err != nil || len(goldens) == 0 {
		t.Fatalf("no parity goldens in %s: %v", parityDir, err)
	}
	buildkitRules := map[string]bool{}
	for _, r := range All() {
		if r.BuildKit {
			buildkitRules[r.Name] = true
		}
	}
	explained := readDifferences(t)
	var diffs []string
	skipped, compared := 0, 0
	for _, g := range goldens {
		name := strings.TrimSuffix(filepath.Base(g), ".txt")
		want, failed, buildErr := readDetailGolden(t, g)
		if failed != nil || buildErr != nil {
			skipped++ // BuildKit stopped at an error: its warnings are partial
			continue
		}
		text, err := os.ReadFile(filepath.Join(corpus, name))
		if err != nil {
			t.Fatal(err)
		}
		compared++
		ix := analysis.Parse(analysis.NewDocument(string(text)))
		count := map[finding]int{}
		for _, w := range want {
			count[finding{instructionLine(ix, w.first), w.rule, w.msg}]++
		}
		for _, d := range Run(ix, nil) {
			if !buildkitRules[d.Rule] {
				continue
			}
			for _, line := range buildkitLines(ix, d) {
				count[finding{instructionLine(ix, line), d.Rule, d.Message}]--
			}
		}
		for f, n := range count {
			for ; n > 0; n-- {
				diffs = append(diffs, fmt.Sprintf("%s %d %s -", name, f.line, f.rule))
			}
			for ; n < 0; n++ {
				diffs = append(diffs, fmt.Sprintf("%s %d %s +", name, f.line, f.rule))
			}
		}
	}
	sort.Strings(diffs)
	t.Logf("compared %d files; %d skipped where BuildKit's linter stopped at an error", compared, skipped)
	seen := map[string]int{}
	var unexplained []string
	for _, d := range diffs {
		seen[d]++
		if seen[d] > explained[d].count {
			unexplained = append(unexplained, d)
		}
	}
	if updateParity {
		writeDifferences(t, diffs, explained)
		return
	}
	for _, d := range unexplained {
		t.Errorf("unexplained difference (- BuildKit only, + Stagehand only): %s", d)
	}
	for d, e := range explained {
		if seen[d] < e.count {
			t.Errorf("listed difference no longer occurs; remove it from DIFFERENCES: %s", d)
		}
	}
}

// instructionLine returns the first line (1-based) of the instruction
// holding line, or line itself outside instructions.
func instructionLine(ix *analysis.Index, line int) int {
	doc := ix.Doc
	if line < 1 || line > doc.LineCount() {
		return line
	}
	n, ok := ix.NodeAt(doc.LineStart(line - 1))
	if !ok {
		if n, ok = ix.NodeBefore(doc.LineStart(line - 1)); !ok {
			return line
		}
	}
	return doc.LineOf(n.Start) + 1
}

type explanation struct {
	count  int
	reason string
}

// readDifferences reads DIFFERENCES: lines "file line rule +|- reason",
// blank lines and # comments.
func readDifferences(t *testing.T) map[string]explanation {
	out := map[string]explanation{}
	text, err := os.ReadFile(filepath.Join(parityDir, "DIFFERENCES"))
	if os.IsNotExist(err) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(text), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, " ", 5)
		if len(f) < 5 || (f[3] != "+" && f[3] != "-") || strings.TrimSpace(f[4]) == "" {
			t.Fatalf("DIFFERENCES:%d: want \"file line rule +|- reason\", got %q", i+1, line)
		}
		key := strings.Join(f[:4], " ")
		e := out[key]
		e.count++
		e.reason = f[4]
		out[key] = e
	}
	return out
}

// writeDifferences rewrites DIFFERENCES with the current differences,
// keeping the reasons already given and marking new ones TODO.
func writeDifferences(t *testing.T, diffs []string, old map[string]explanation) {
	path := filepath.Join(parityDir, "DIFFERENCES")
	head := ""
	if text, err := os.ReadFile(path); err == nil {
		for _, line := range strings.SplitAfter(string(text), "\n") {
			if !strings.HasPrefix(line, "#") && strings.TrimSpace(line) != "" {
				break
			}
			head += line
		}
	}
	var b strings.Builder
	b.WriteString(head)
	for _, d := range diffs {
		reason := "TODO"
		if e, ok := old[d]; ok {
			reason = e.reason
		}
		fmt.Fprintf(&b, "%s %s\n", d, reason)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
