package check

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, text := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestFiles(t *testing.T) {
	root := writeTree(t, map[string]string{
		"Dockerfile":              "FROM a\n",
		"Containerfile":           "FROM a\n",
		"web/app.Dockerfile":      "FROM a\n",
		"web/Dockerfile.prod":     "FROM a\n",
		"web/README.md":           "x",
		"web/Dockerfilex":         "x",
		".git/Dockerfile":         "x",
		"node_modules/Dockerfile": "x",
		"vendor/a/Dockerfile":     "x",
	})
	got, err := Files([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i] = filepath.ToSlash(strings.TrimPrefix(got[i], root+string(filepath.Separator)))
	}
	want := []string{"Containerfile", "Dockerfile", "web/Dockerfile.prod", "web/app.Dockerfile"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Files (-want +got):\n%s", diff)
	}
}

func TestMain(t *testing.T) {
	root := writeTree(t, map[string]string{
		"good/Dockerfile": "FROM alpine AS base\nRUN echo hi\n",
		"bad/Dockerfile":  "FROM alpine\nRUNN x\n",
	})
	bad := filepath.Join(root, "bad", "Dockerfile")
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string // substring of stdout
	}{
		{"clean", []string{filepath.Join(root, "good")}, ExitOK, ""},
		{"error", []string{bad}, ExitFindings, bad + ":2:1: error: "},
		{"rule", []string{bad}, ExitFindings, "[InstructionError]"},
		{"json", []string{"--format", "json", bad}, ExitFindings, `"rule": "InstructionError"`},
		{"no paths", nil, ExitUsage, ""},
		{"bad format", []string{"--format", "xml", bad}, ExitUsage, ""},
		{"missing file", []string{filepath.Join(root, "nope")}, ExitUsage, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(tc.args, &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit code = %d, want %d (stderr %q)", code, tc.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.out) {
				t.Errorf("stdout = %q, want it to contain %q", stdout.String(), tc.out)
			}
		})
	}
}

func TestJSONShape(t *testing.T) {
	root := writeTree(t, map[string]string{"Dockerfile": "FROM alpine\n# héllo\nRUNN x\n"})
	var stdout, stderr bytes.Buffer
	Main([]string{"--format=json", root}, &stdout, &stderr)
	var got []map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("output is not a JSON array: %v\n%s", err, stdout.String())
	}
	if len(got) != 1 {
		t.Fatalf("got %d findings, want 1: %s", len(got), stdout.String())
	}
	want := map[string]any{
		"path": filepath.Join(root, "Dockerfile"), "line": 3.0, "column": 1.0,
		"severity": "error", "rule": "InstructionError",
	}
	for k, v := range want {
		if got[0][k] != v {
			t.Errorf("%s = %v, want %v", k, got[0][k], v)
		}
	}
	for _, k := range []string{"endLine", "endColumn", "message"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("missing field %s", k)
		}
	}
}

func TestLinesAfterContinuations(t *testing.T) {
	fs := FileWithConfig("x", "FROM alpine\nRUN echo é && \\\n  true\nRUNN 😀\n", nil)
	if len(fs) != 1 {
		t.Fatalf("got %v, want one finding", fs)
	}
	if fs[0].Line != 4 || fs[0].Column != 1 {
		t.Errorf("got %d:%d, want 4:1", fs[0].Line, fs[0].Column)
	}
}

// TestProject runs check inside a repository as a user would: from a
// subfolder, with the root found by .git, targets named by Compose and a
// settings file.
func TestProject(t *testing.T) {
	root := writeTree(t, map[string]string{
		".git/HEAD":       "ref: refs/heads/main\n",
		"svc/Dockerfile":  "FROM alpine AS dev\nFROM alpine AS docs\nFROM alpine AS extra\nFROM alpine\n",
		"compose.yaml":    "services:\n  api:\n    build:\n      context: svc\n      target: dev\n",
		".stagehand.yaml": "rules:\n  UnusedStage: error\ntargets: [extra]\nignore: [old/]\n",
		"old/Dockerfile":  "FROM alpine AS never\nFROM alpine\n",
	})
	svc := filepath.Join(root, "svc")
	run := func(args ...string) (string, string, int) {
		var stdout, stderr bytes.Buffer
		code := Main(args, &stdout, &stderr)
		return stdout.String(), stderr.String(), code
	}
	out, errOut, code := run(svc)
	if want := "svc/Dockerfile:2:1: error: Stage \"docs\" is never built"; !strings.Contains(filepath.ToSlash(out), want) || code != ExitFindings {
		t.Errorf("check svc = %d\n%s\nwant %q, exit %d (stderr %s)", code, out, want, ExitFindings, errOut)
	}
	if strings.Contains(out, `"dev"`) || strings.Contains(out, `"extra"`) {
		t.Errorf("dev (Compose) and extra (settings file) are built, yet reported:\n%s", out)
	}

	// The root holds old/, which the settings file ignores.
	out, _, _ = run(root)
	if strings.Contains(out, "old") {
		t.Errorf("an ignored path was checked:\n%s", out)
	}

	// Flags win over the file; --verbose says so.
	_, errOut, code = run("--verbose", "--rule", "UnusedStage=warning", svc)
	for _, want := range []string{"rule UnusedStage = warning (from --rule)", "target extra = built (from .stagehand.yaml)", "1 Dockerfiles, 1 targets"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("--verbose stderr lacks %q:\n%s", want, errOut)
		}
	}
	if code != ExitOK {
		t.Errorf("with UnusedStage=warning, exit %d, want %d", code, ExitOK)
	}

	// --no-workspace: each file alone.
	out, _, _ = run("--no-workspace", svc)
	for _, st := range []string{"dev", "docs", "extra"} {
		if !strings.Contains(out, `"`+st+`" is never built`) {
			t.Errorf("--no-workspace: %s not reported:\n%s", st, out)
		}
	}

	// A Compose file named on the command line is checked for its targets.
	compose := filepath.Join(root, "compose.override.yaml")
	if err := os.WriteFile(compose, []byte("services:\n  x:\n    build:\n      context: svc\n      target: dve\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code = run(compose)
	if want := compose + `:5:15: error: Dockerfile has no stage named "dve" (did you mean "dev"?) [UnknownTarget]`; !strings.Contains(out, want) || code != ExitFindings {
		t.Errorf("check %s = %d\n%s\nwant %q", compose, code, out, want)
	}
	// UnknownTarget is a rule like the others: --rule sets its severity.
	out, errOut, code = run("--rule", "UnknownTarget=warning", compose)
	if want := `:5:15: warning: Dockerfile has no stage named "dve"`; !strings.Contains(out, want) || code != ExitOK {
		t.Errorf("--rule UnknownTarget=warning: exit %d\n%s%s\nwant %q, exit %d", code, out, errOut, want, ExitOK)
	}
	if out, errOut, _ = run("--rule", "UnknownTarget=off", compose); strings.Contains(out, "UnknownTarget") {
		t.Errorf("--rule UnknownTarget=off still reports it:\n%s%s", out, errOut)
	}
	if err := os.Remove(compose); err != nil {
		t.Fatal(err)
	}

	// JSON says what builds the file's other stages.
	out, _, _ = run("--format=json", svc)
	var findings []Finding
	if err := json.Unmarshal([]byte(out), &findings); err != nil {
		t.Fatal(err)
	}
	if len(findings) != 1 {
		t.Fatalf("got %d findings, want 1:\n%s", len(findings), out)
	}
	want := []Site{{File: "compose.yaml", Line: 5, Stage: "dev", Source: "compose service api"}}
	if d := cmp.Diff(want, findings[0].OtherTargets); d != "" {
		t.Errorf("otherTargets (-want +got):\n%s", d)
	}
}

// TestParallelOrder: files are checked on every core, and the output is
// still in the files' order, the same on every run, with each file's fix
// messages next to it.
func TestParallelOrder(t *testing.T) {
	files := map[string]string{}
	for i := range 40 {
		files[fmt.Sprintf("s%02d/Dockerfile", i)] = fmt.Sprintf("FROM alpine AS unused%d\nFROM alpine\nRUNN x%d\n", i, i)
	}
	root := writeTree(t, files)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	var want strings.Builder
	for i := range 40 {
		var stdout, stderr bytes.Buffer
		Main([]string{"--no-workspace", filepath.Join(root, fmt.Sprintf("s%02d", i))}, &stdout, &stderr)
		want.Write(stdout.Bytes())
	}
	for range 5 {
		var stdout, stderr bytes.Buffer
		Main([]string{"--no-workspace", root}, &stdout, &stderr)
		if d := cmp.Diff(want.String(), stdout.String()); d != "" {
			t.Fatalf("parallel output differs from the files checked one by one (-want +got):\n%s", d)
		}
	}
}
