package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// BuildKit parity on generated files: testgen.LintMatrix's Dockerfiles
// (heredocs in every quoting, the legacy and shell forms, ONBUILD triggers;
// each with LF and CRLF, with and without a byte order mark, with either
// escape token, on scratch and on an image) are written to
// testdata/buildkit-parity/detail/gen, where tools/buildkit-parity writes
// BuildKit's linter's findings beside them; this test compares ours as
// TestBuildKitParityDetail does. To regenerate:
//
//	STAGEHAND_UPDATE_PARITY=1 go test -run TestBuildKitParityGenerated ./analysis/rules
//	cd tools/buildkit-parity && go run . -corpus ../../testdata/buildkit-parity/detail/gen -out ../../testdata/buildkit-parity/detail/gen

const generatedDir = detailDir + "/gen"

func TestBuildKitParityGenerated(t *testing.T) {
	cases := testgen.LintMatrix()
	want := map[string]bool{}
	if updateParity {
		if err := os.MkdirAll(generatedDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range cases {
		name := filepath.Join(generatedDir, c.Name+".Dockerfile")
		want[name] = true
		if updateParity {
			if err := os.WriteFile(name, []byte(c.Text), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(name)
		if err != nil || string(got) != c.Text {
			t.Errorf("%s is missing or stale: regenerate the files and their goldens (see the test's doc)", name)
		}
	}
	files, err := filepath.Glob(filepath.Join(generatedDir, "*.Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !want[f] {
			if updateParity {
				os.Remove(f)
				os.Remove(f + ".txt")
			} else {
				t.Errorf("%s is no generated case any longer: remove it", f)
			}
		}
	}
	if updateParity || t.Failed() {
		return
	}
	explained := readDifferencesFile(t, filepath.Join(generatedDir, "DIFFERENCES"))
	seen := map[string]bool{}
	n, warnings := 0, 0
	for _, c := range cases {
		path := filepath.Join(generatedDir, c.Name+".Dockerfile")
		golden, _, _ := readDetailGolden(t, path+".txt")
		warnings += len(golden)
		for _, d := range detailDiffs(t, path) {
			n++
			key := generatedKey(d)
			seen[key] = true
			if _, ok := explained[key]; !ok {
				t.Errorf("difference (- BuildKit only, + Stagehand only): %s", d)
			}
		}
	}
	for d := range explained {
		if !seen[d] {
			t.Errorf("listed difference no longer occurs; remove it from gen/DIFFERENCES: %s", d)
		}
	}
	if warnings < len(cases)*5 {
		t.Errorf("BuildKit gives %d warnings on %d generated files: the goldens are missing or the files check too little", warnings, len(cases))
	}
	t.Logf("%d generated files, %d BuildKit warnings, %d differences, all listed", len(cases), warnings, n)
}

// generatedKey is how gen/DIFFERENCES names a difference "file line rule
// sign message": by the body and base of the generated file (its line
// ends, mark and escape are what must not matter), without the line.
func generatedKey(d string) string {
	f := strings.SplitN(d, " ", 3)
	parts := strings.Split(strings.TrimSuffix(f[0], ".Dockerfile"), "-")
	return parts[0] + "-" + parts[len(parts)-1] + " " + f[2]
}
