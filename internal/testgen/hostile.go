//go:build unix

package testgen

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// HostileKinds are the kinds of file Hostile makes: what a repository can
// commit where a tool expects a small text file.
var HostileKinds = []string{"fifo", "dev-zero", "dev-urandom", "dev-stdin", "link-out", "link-loop", "sparse-1g"}

// Hostile makes path a hostile file of the given kind: a FIFO nobody
// writes to; a symbolic link to /dev/zero, /dev/urandom or /dev/stdin; a
// link out of its folder (to outside, a file elsewhere); a link loop; or a
// 1 GiB sparse file (which costs no disk).
func Hostile(t testing.TB, path, kind, outside string) {
	t.Helper()
	var err error
	switch kind {
	case "fifo":
		err = syscall.Mkfifo(path, 0o644)
	case "dev-zero", "dev-urandom", "dev-stdin":
		err = os.Symlink("/dev/"+kind[len("dev-"):], path)
	case "link-out":
		err = os.Symlink(outside, path)
	case "link-loop":
		loop := path + ".loop"
		if err = os.Symlink(filepath.Base(loop), path); err == nil {
			err = os.Symlink(filepath.Base(path), loop)
		}
	case "sparse-1g":
		var f *os.File
		if f, err = os.Create(path); err == nil {
			err = f.Truncate(1 << 30)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
	default:
		t.Fatalf("unknown hostile kind %q", kind)
	}
	if err != nil {
		t.Fatalf("making %s a %s: %v", path, kind, err)
	}
}
