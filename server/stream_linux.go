package server

import (
	"io"
	"syscall"
)

// pipeSize is the capacity asked for the pipe the server writes to: a
// large answer (megabytes of outline or semantic tokens) then crosses it
// in a few handoffs between the server and its client instead of one per
// 64 KiB, the default. 1 MiB is the most an unprivileged process may ask
// for by default (/proc/sys/fs/pipe-max-size).
const pipeSize = 1 << 20

// fSetPipeSize is F_SETPIPE_SZ, which package syscall does not name.
const fSetPipeSize = 1031

// growPipe asks for pipeSize of capacity in w, when w is a pipe: a
// connection other than a pipe, or a refusal, leaves it as it is.
func growPipe(w io.Writer) {
	sc, ok := w.(syscall.Conn)
	if !ok {
		return
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		_, _, _ = syscall.Syscall(syscall.SYS_FCNTL, fd, fSetPipeSize, pipeSize)
	})
}
