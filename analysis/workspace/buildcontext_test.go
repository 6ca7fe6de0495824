package workspace

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestContextsKept(t *testing.T) {
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".dockerignore", "*.md\n")
	ix := Scan(nil, DefaultLimits)
	c := Contexts{Every: time.Hour}
	ignored := func(p string) bool {
		t.Helper()
		ctx, err := c.For(ix, df)
		if err != nil || ctx.FS == nil {
			t.Fatalf("For: %+v, %v", ctx, err)
		}
		return ctx.Ignored(p)
	}
	for range 3 {
		if !ignored("a.md") || ignored("src") {
			t.Fatal("*.md not read")
		}
	}
	if n := c.Loads(); n != 1 {
		t.Errorf("%d loads for one unchanged context", n)
	}
	// Unwatched: a use within Every does not look at the disk.
	write(".dockerignore", "src\n")
	if !ignored("a.md") || c.Loads() != 1 {
		t.Error("a use within Every compared the stat")
	}
	// Recheck (a poller's) compares it and forgets the context.
	if !c.Recheck() {
		t.Error("Recheck missed the change")
	}
	if ignored("a.md") || !ignored("src") {
		t.Error("the changed .dockerignore was not read")
	}
	if c.Recheck() {
		t.Error("Recheck reported a change where there was none")
	}
	// A use past Every compares it. The Dockerfile's own ignore file
	// wins over the folder's.
	c.Every = time.Nanosecond
	n := c.Loads()
	ignored("src")
	if c.Loads() != n {
		t.Error("an unchanged stat read the context again")
	}
	write("Dockerfile.dockerignore", "*.go\n")
	if !ignored("a.go") || ignored("src") {
		t.Error("Dockerfile.dockerignore was not read")
	}
	// Watched: only a reported change rereads it.
	c.Watch()
	n = c.Loads()
	ignored("a.go")
	write("Dockerfile.dockerignore", "*.txt\n")
	if !ignored("a.go") || c.Loads() != n+1 {
		t.Errorf("a watched context was read again without a report (%d loads)", c.Loads()-n)
	}
	c.IgnoreChanged()
	if ignored("a.go") || !ignored("a.txt") {
		t.Error("the reported change was not read")
	}
	// A new workspace index may choose another folder.
	n = c.Loads()
	ix2 := Scan(nil, DefaultLimits)
	if _, err := c.For(ix2, df); err != nil || c.Loads() != n+1 {
		t.Errorf("a new index kept the old context (%d loads, %v)", c.Loads()-n, err)
	}
	if ctx, _ := c.For(ix2, filepath.Join(dir, "nowhere", "Dockerfile")); ctx.FS != nil {
		t.Error("a folder that does not exist has a context")
	}
	if !IsIgnoreFile("/a/.dockerignore") || !IsIgnoreFile("/a/Dockerfile.dev.dockerignore") || IsIgnoreFile("/a/Dockerfile") {
		t.Error("IsIgnoreFile")
	}
}

// BenchmarkContextsFor measures an unwatched context's use on a
// keystroke: within Every (kept), and comparing the stat on every use, as
// before Every.
func BenchmarkContextsFor(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("*.md\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	df := filepath.Join(dir, "Dockerfile")
	ix := Scan(nil, DefaultLimits)
	for _, every := range []time.Duration{RecheckEvery, time.Nanosecond} {
		b.Run(every.String(), func(b *testing.B) {
			c := Contexts{Every: every}
			b.ReportAllocs()
			for b.Loop() {
				if ctx, err := c.For(ix, df); err != nil || ctx.FS == nil {
					b.Fatal(err)
				}
			}
			if c.Loads() != 1 {
				b.Errorf("%d loads", c.Loads())
			}
		})
	}
}
