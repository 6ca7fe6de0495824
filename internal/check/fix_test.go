package check

import (
	"bytes"
	"github.com/stagehand-ls/stagehand/internal/testgen"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const unfixed = "FROM alpine:3 as base\nMAINTAINER Jane <jane@example.com>\nRUN echo hi\n\nFROM base\nCMD [\"true\"]\n"

const fixed = "FROM alpine:3 AS base\nLABEL org.opencontainers.image.authors=\"Jane <jane@example.com>\"\nRUN echo hi\n\nFROM base\nCMD [\"true\"]\n"

func TestFix(t *testing.T) {
	got, n := Fix(unfixed, nil)
	if diff := cmp.Diff(fixed, got); diff != "" {
		t.Errorf("Fix (-want +got):\n%s", diff)
	}
	if n != 2 {
		t.Errorf("Fix took %d fixes, want 2", n)
	}
	if again, n := Fix(got, nil); again != got || n != 0 {
		t.Errorf("fixing the fixed text took %d fixes and gave:\n%s", n, again)
	}
}

func TestFixFlags(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(path, []byte(unfixed), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"--fix", "--diff", path}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("--fix --diff exited %d: %s", code, stderr.String())
	}
	want := "--- " + path + "\n+++ " + path + "\n@@ -1,5 +1,5 @@\n" +
		"-FROM alpine:3 as base\n-MAINTAINER Jane <jane@example.com>\n" +
		"+FROM alpine:3 AS base\n+LABEL org.opencontainers.image.authors=\"Jane <jane@example.com>\"\n" +
		" RUN echo hi\n \n FROM base\n"
	if diff := cmp.Diff(want, stdout.String()); diff != "" {
		t.Errorf("--fix --diff output (-want +got):\n%s", diff)
	}
	if b, _ := os.ReadFile(path); string(b) != unfixed {
		t.Errorf("--diff rewrote the file:\n%s", b)
	}

	stdout.Reset()
	stderr.Reset()
	if code := Main([]string{"--fix", path}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("--fix exited %d: %s", code, stderr.String())
	}
	if b, _ := os.ReadFile(path); string(b) != fixed {
		t.Errorf("--fix wrote:\n%s", b)
	}
	if stdout.String() != "" || !strings.Contains(stderr.String(), "applied 2 fixes") {
		t.Errorf("--fix printed %q to stdout and %q to stderr", stdout.String(), stderr.String())
	}
}

// TestUnifiedDiffApplies checks the diffs with patch(1): each applied to
// the old text gives the new one.
func TestUnifiedDiffApplies(t *testing.T) {
	if _, err := exec.LookPath("patch"); err != nil {
		testgen.Missing(t, "patch not installed")
	}
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
	} {
		dir := t.TempDir()
		old := filepath.Join(dir, "Dockerfile")
		if err := os.WriteFile(old, []byte(tc[0]), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("patch", "-s", "-p1", "-d", dir)
		cmd.Stdin = strings.NewReader(unifiedDiff("Dockerfile", tc[0], tc[1]))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: patch: %v: %s\n%s", name, err, out, unifiedDiff("Dockerfile", tc[0], tc[1]))
			continue
		}
		if b, _ := os.ReadFile(old); string(b) != tc[1] {
			t.Errorf("%s: patched text:\n%q\nwant\n%q", name, b, tc[1])
		}
	}
}
