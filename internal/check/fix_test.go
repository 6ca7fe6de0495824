package check

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/internal/confined"
	"github.com/stagehand-ls/stagehand/internal/testgen"
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

// TestFixReportsLikeCheck checks that what --fix reports, from the
// diagnostics its last round found, is what a check of the file it leaves
// reports, for a file it fixes and one it leaves as is, over a few corpus
// files too.
func TestFixReportsLikeCheck(t *testing.T) {
	texts := map[string]string{"unfixed": unfixed, "fixed": fixed}
	// In name order: a map's order picked a different sample each run,
	// now and then one with too few findings left (a flaky failure).
	corpus := testgen.Corpus(t)
	for _, name := range slices.Sorted(maps.Keys(corpus)) {
		text := corpus[name]
		if len(texts) < 12 && strings.Contains(text, "MAINTAINER") || len(texts) < 32 && strings.Contains(text, " as ") {
			texts[name] = text
		}
	}
	withFindings := 0
	for name, text := range texts {
		path := filepath.Join(t.TempDir(), "Dockerfile")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		var fixOut, checkOut, stderr bytes.Buffer
		Main([]string{"--fix", "--no-workspace", "--format=json", path}, &fixOut, &stderr)
		Main([]string{"--no-workspace", "--format=json", path}, &checkOut, &stderr)
		if diff := cmp.Diff(checkOut.String(), fixOut.String()); diff != "" {
			t.Errorf("%s: --fix reports (-check of the result +--fix):\n%s", name, diff)
		}
		if strings.Contains(checkOut.String(), `"rule"`) {
			withFindings++
		}
	}
	t.Logf("%d texts compared, %d with findings left after fixing", len(texts), withFindings)
	if len(texts) < 10 || withFindings < 5 {
		t.Errorf("%d texts compared, %d with findings left after fixing", len(texts), withFindings)
	}
}

// TestOutputOrderShared checks that, with stdout and stderr going to one
// file, what each file prints on either comes out in the files' order:
// stdout is buffered, and flushed before anything goes to stderr.
func TestOutputOrderShared(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.Dockerfile"), filepath.Join(dir, "b.Dockerfile")
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, []byte(unfixed), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A sparse file past the size limit: found, but not read.
	missing := filepath.Join(dir, "large.Dockerfile")
	if err := os.WriteFile(missing, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(missing, confined.Limit+1); err != nil {
		t.Fatal(err)
	}
	var both bytes.Buffer
	if code := Main([]string{"--no-workspace", "--fix", "--diff", a, missing, b}, &both, &both); code != ExitUsage {
		t.Errorf("exited %d, want %d", code, ExitUsage)
	}
	out := both.String()
	ia, im, ib := strings.Index(out, "--- "+a), strings.Index(out, missing+": "), strings.Index(out, "--- "+b)
	if ia < 0 || im < 0 || ib < 0 || ia >= im || im >= ib {
		t.Errorf("a's diff at %d, the error at %d, b's diff at %d; want them in that order:\n%s", ia, im, ib, out)
	}
}

// TestFixContinuedMount: a did-you-mean fix on the from= of a mount spec
// continued over lines rewrites the value alone (it used to replace the
// whole spec: `RUN --mount=build true`), with either escape token and CRLF.
func TestFixContinuedMount(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{
			"FROM alpine AS build\nFROM alpine\nRUN --mount=type=cache,\\\nfrom=buld,target=/c true\n",
			"FROM alpine AS build\nFROM alpine\nRUN --mount=type=cache,\\\nfrom=build,target=/c true\n",
		},
		{
			"# escape=`\r\nFROM alpine AS build\r\nFROM alpine\r\nRUN --mount=type=cache,`  \r\n# note\r\nfrom=buld,target=C:\\c true\r\n",
			"# escape=`\r\nFROM alpine AS build\r\nFROM alpine\r\nRUN --mount=type=cache,`  \r\n# note\r\nfrom=build,target=C:\\c true\r\n",
		},
	} {
		got, n := Fix(tc.in, nil)
		if diff := cmp.Diff(tc.want, got); diff != "" || n != 1 {
			t.Errorf("Fix took %d fixes (-want +got):\n%s", n, diff)
		}
	}
}
