package format

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

const messy = "from alpine as base\nRUN  echo hi\nFROM base\n"

func TestMain(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(path, []byte(messy), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(args, &out, &errb)
		return code, out.String(), errb.String()
	}
	want := "FROM alpine AS base\nRUN echo hi\nFROM base\n"
	if code, out, _ := run(path); code != ExitOK || out != want {
		t.Errorf("print: %d %q", code, out)
	}
	wantDiff := "--- " + path + "\n+++ " + path + "\n" +
		"@@ -1,3 +1,3 @@\n-from alpine as base\n-RUN  echo hi\n+FROM alpine AS base\n+RUN echo hi\n FROM base\n"
	if code, out, _ := run("-d", dir); code != ExitChanged || out != wantDiff {
		t.Errorf("diff: %d (-want +got):\n%s", code, cmp.Diff(wantDiff, out))
	}
	if code, _, errs := run("-w", path); code != ExitOK {
		t.Errorf("write: %d %s", code, errs)
	}
	if got, _ := os.ReadFile(path); string(got) != want {
		t.Errorf("written: %q", got)
	}
	if code, out, _ := run("-d", path); code != ExitOK || out != "" {
		t.Errorf("diff after write: %d %q", code, out)
	}
	bad := filepath.Join(dir, "bad.Dockerfile")
	if err := os.WriteFile(bad, []byte("RUN <<EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run("-w", bad); code != ExitUsage || errs == "" {
		t.Errorf("unparsable: %d %q", code, errs)
	}
	if got, _ := os.ReadFile(bad); string(got) != "RUN <<EOF\n" {
		t.Errorf("unparsable file changed: %q", got)
	}
	chain := filepath.Join(dir, "chain.Dockerfile")
	if err := os.WriteFile(chain, []byte("FROM a\nRUN a&&b\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := run(chain); code != ExitOK || out != "FROM a\nRUN a&&b\n" {
		t.Errorf("shell off by default: %d %q", code, out)
	}
	if code, out, _ := run("--shell", chain); code != ExitOK || out != "FROM a\nRUN a && \\\n    b\n" {
		t.Errorf("--shell: %d %q", code, out)
	}
	if code, _, _ := run("-w", "-d", path); code != ExitUsage {
		t.Errorf("-w -d: %d", code)
	}
}

// TestFmtDiffApplies checks `fmt -d` with patch(1): its diff, applied to
// the file, gives what `fmt` prints.
func TestFmtDiffApplies(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for name, text := range map[string]string{
		"messy": messy,
		"crlf":  "from alpine as base\r\nRUN  echo hi\r\n\r\n\r\n\r\nFROM base\r\nCMD  [\"true\"]",
		"far":   messy + strings.Repeat("RUN true\n", 10) + "run  echo bye\n",
	} {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile("Dockerfile", []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			var want, diff, errb bytes.Buffer
			if code := Main([]string{"Dockerfile"}, &want, &errb); code != ExitOK {
				t.Fatalf("fmt: %d %s", code, errb.String())
			}
			if code := Main([]string{"-d", "Dockerfile"}, &diff, &errb); code != ExitChanged {
				t.Fatalf("fmt -d: %d %s", code, errb.String())
			}
			if got := testgen.Patch(t, dir, "Dockerfile", diff.String()); got != want.String() {
				t.Errorf("patched text (-want +got):\n%s", cmp.Diff(want.String(), got))
			}
		})
	}
}
