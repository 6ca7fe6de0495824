//go:build unix

package confined_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stagehand-ls/stagehand/internal/check"
	"github.com/stagehand-ls/stagehand/internal/confined"
	"github.com/stagehand-ls/stagehand/internal/format"
	"github.com/stagehand-ls/stagehand/internal/graph"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// deadline bounds each read of a hostile file, and allocCeiling what it
// may allocate.
const (
	deadline     = 5 * time.Second
	allocCeiling = 64 << 20
)

// bounded runs f, failing the test if it takes past deadline or allocates
// past allocCeiling.
func bounded(t *testing.T, what string, f func()) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(deadline):
		t.Fatalf("%s: still running after %v", what, deadline)
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > allocCeiling {
		t.Errorf("%s: allocated %d MB, the ceiling is %d MB", what, n>>20, allocCeiling>>20)
	}
}

func TestReadFileHostile(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(outside, []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := map[string]error{
		"fifo": confined.ErrNotRegular, "dev-zero": confined.ErrOutside, "dev-urandom": confined.ErrOutside,
		"dev-stdin": confined.ErrOutside, "link-out": confined.ErrOutside, "sparse-1g": confined.ErrTooLarge,
	}
	for _, kind := range testgen.HostileKinds {
		root := t.TempDir()
		p := filepath.Join(root, ".dockerignore")
		testgen.Hostile(t, p, kind, outside)
		var err error
		bounded(t, kind, func() { _, err = confined.ReadFile(root, p, confined.Limit) })
		if err == nil {
			t.Errorf("%s: read without error", kind)
		} else if w := want[kind]; w != nil && !errors.Is(err, w) {
			t.Errorf("%s: %v, want %v", kind, err, w)
		}
		// Named on a command line, a device is still refused.
		bounded(t, kind+" by path", func() { _, err = confined.ReadPath(p, confined.Limit) })
		if err == nil && kind != "link-out" {
			t.Errorf("%s by path: read without error", kind)
		}
	}
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "ok"), []byte("FROM a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("ok", filepath.Join(root, "link-in")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ok", "link-in", filepath.Join(root, "ok")} {
		if data, err := confined.ReadFile(root, name, confined.Limit); err != nil || string(data) != "FROM a\n" {
			t.Errorf("ReadFile(%q) = %q, %v", name, data, err)
		}
	}
	if _, err := confined.ReadFile(root, "../x", confined.Limit); !errors.Is(err, confined.ErrOutside) {
		t.Errorf("ReadFile(../x) = %v, want ErrOutside", err)
	}
	if _, err := confined.ReadFile(root, "ok", 3); !errors.Is(err, confined.ErrTooLarge) {
		t.Errorf("ReadFile past the limit = %v, want ErrTooLarge", err)
	}
}

// TestCommandsHostile runs check, fmt and graph where a repository put
// hostile files: as the Dockerfile argument, and as the .dockerignore and
// Dockerfile.dockerignore beside a Dockerfile. Each ends in time, within
// the memory ceiling, with the error exit for a hostile argument.
func TestCommandsHostile(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(outside, []byte("FROM a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	commands := map[string]func(args []string) int{
		"check": func(a []string) int { return check.Main(a, &bytes.Buffer{}, &bytes.Buffer{}) },
		"fmt":   func(a []string) int { return format.Main(a, &bytes.Buffer{}, &bytes.Buffer{}) },
		"graph": func(a []string) int { return graph.Main(a, &bytes.Buffer{}, &bytes.Buffer{}) },
	}
	for _, kind := range testgen.HostileKinds {
		for _, ignore := range []string{".dockerignore", "Dockerfile.dockerignore"} {
			dir := t.TempDir()
			df := filepath.Join(dir, "Dockerfile")
			if err := os.WriteFile(df, []byte("FROM alpine\nCOPY . /src\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			testgen.Hostile(t, filepath.Join(dir, ignore), kind, outside)
			var code int
			bounded(t, "check with "+ignore+" "+kind, func() { code = commands["check"]([]string{df}) })
			if code != check.ExitOK {
				t.Errorf("check with %s %s: exit %d, want 0", ignore, kind, code)
			}
		}
		dir := t.TempDir()
		df := filepath.Join(dir, "Dockerfile")
		testgen.Hostile(t, df, kind, outside)
		for name, run := range commands {
			var code int
			bounded(t, name+" on a "+kind, func() { code = run([]string{df}) })
			if code == 0 && kind != "link-out" {
				t.Errorf("%s on a %s: exit 0, want an error", name, kind)
			}
		}
	}
}

// TestFSHostile lists, stats and opens each hostile file through FS, as
// completion and the missing-source hints do, and through FS held open
// for a run of reads, as a run of the rules reads it: each call ends in
// time, and nothing outside the root is reached.
func TestFSHostile(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	for _, kind := range testgen.HostileKinds {
		testgen.Hostile(t, filepath.Join(root, kind), kind, outside)
	}
	t.Run("each call", func(t *testing.T) { fsHostile(t, confined.FS(root)) })
	t.Run("held", func(t *testing.T) {
		h, ok := confined.FS(root).(interface {
			Hold() (fs.FS, func(), error)
		})
		if !ok {
			t.Fatal("FS cannot be held")
		}
		fsys, release, err := h.Hold()
		if err != nil {
			t.Fatal(err)
		}
		defer release()
		fsHostile(t, fsys)
		if _, err := fs.Stat(fsys, "../x"); err == nil {
			t.Errorf("stat'ed a path out of the root")
		}
	})
}

func fsHostile(t *testing.T, fsys fs.FS) {
	bounded(t, "ReadDir of the root", func() {
		if entries, err := fs.ReadDir(fsys, "."); err != nil || len(entries) < len(testgen.HostileKinds) {
			t.Errorf("ReadDir: %d entries, %v", len(entries), err)
		}
	})
	for _, kind := range testgen.HostileKinds {
		bounded(t, "Stat, ReadDir and Open of "+kind, func() {
			_, _ = fs.Stat(fsys, kind)
			_, _ = fs.ReadDir(fsys, kind)
			if f, err := fsys.Open(kind); err == nil {
				f.Close()
			}
		})
	}
	if _, err := fs.ReadDir(fsys, "link-out"); err == nil {
		t.Errorf("listed the folder outside the root through a link")
	}
	if _, err := fs.Stat(fsys, "link-out/secret"); err == nil {
		t.Errorf("reached a file outside the root through a link")
	}
}

// TestFSFolderLimit: a folder past MaxEntries is not listed.
func TestFSFolderLimit(t *testing.T) {
	defer func(n int) { confined.MaxEntries = n }(confined.MaxEntries)
	confined.MaxEntries = 5
	root := t.TempDir()
	for i := range 6 {
		if err := os.WriteFile(filepath.Join(root, string(rune('a'+i))), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := fs.ReadDir(confined.FS(root), "."); !errors.Is(err, confined.ErrTooManyEntries) {
		t.Errorf("ReadDir of 6 entries with a limit of 5: %v, want ErrTooManyEntries", err)
	}
	confined.MaxEntries = 6
	if entries, err := fs.ReadDir(confined.FS(root), "."); err != nil || len(entries) != 6 || entries[0].Name() != "a" {
		t.Errorf("ReadDir of 6 entries with a limit of 6: %d entries, %v", len(entries), err)
	}
}

// TestReadPathSizes reads files at and around the size limit, and a file
// whose size stat gives as 0 though it has content (as /proc's are), which
// is read past the buffer sized for it.
func TestReadPathSizes(t *testing.T) {
	dir := t.TempDir()
	const limit = 1000
	for _, n := range []int{0, 1, 511, 512, 513, limit - 1, limit, limit + 1, 3 * limit} {
		p := filepath.Join(dir, fmt.Sprint(n))
		want := bytes.Repeat([]byte("x\n"), n)[:n]
		if err := os.WriteFile(p, want, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := confined.ReadPath(p, limit)
		switch {
		case n > limit:
			if !errors.Is(err, confined.ErrTooLarge) {
				t.Errorf("%d bytes: %v, want ErrTooLarge", n, err)
			}
		case err != nil || !bytes.Equal(got, want):
			t.Errorf("%d bytes: read %d bytes, %v", n, len(got), err)
		}
	}
	if runtime.GOOS != "linux" {
		return
	}
	got, err := confined.ReadPath("/proc/self/status", confined.Limit)
	if err != nil || !bytes.Contains(got, []byte("\nPid:")) || !bytes.HasSuffix(got, []byte("\n")) {
		t.Errorf("/proc/self/status: %v, read %q", err, got)
	}
	if _, err := confined.ReadPath("/proc/self/status", 10); !errors.Is(err, confined.ErrTooLarge) {
		t.Errorf("/proc/self/status past the limit: %v, want ErrTooLarge", err)
	}
}
