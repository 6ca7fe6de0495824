//go:build unix

package atomicfile

import (
	"io/fs"
	"os"
	"syscall"
)

// keepOwner gives f the owner and group of the original, when the process
// may (root rewriting another user's file); otherwise the file keeps the
// process's, as a new file would.
func keepOwner(f *os.File, orig fs.FileInfo) {
	st, ok := orig.Sys().(*syscall.Stat_t)
	if !ok || (int(st.Uid) == os.Getuid() && int(st.Gid) == os.Getgid()) {
		return
	}
	_ = f.Chown(int(st.Uid), int(st.Gid))
}
