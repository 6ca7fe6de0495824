package server

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestGrowPipe widens a pipe to pipeSize, as the server does to its
// stdout, and leaves a writer that is no pipe alone.
func TestGrowPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	size := func() int {
		var n uintptr
		rc, err := w.SyscallConn()
		if err != nil {
			t.Fatal(err)
		}
		_ = rc.Control(func(fd uintptr) {
			n, _, _ = syscall.Syscall(syscall.SYS_FCNTL, fd, 1032 /* F_GETPIPE_SZ */, 0)
		})
		return int(n)
	}
	before, want := size(), pipeSize
	if b, err := os.ReadFile("/proc/sys/fs/pipe-max-size"); err == nil {
		if limit, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && limit < pipeSize && os.Geteuid() != 0 {
			want = before // refused: an unprivileged process may not ask for more
		}
	}
	growPipe(w)
	if after := size(); after != want {
		t.Errorf("pipe capacity %d after growPipe (%d before), want %d", after, before, want)
	}
	growPipe(&bytes.Buffer{}) // no pipe: nothing to do, nothing to break
}
