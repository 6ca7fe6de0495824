//go:build unix

package main

import (
	"os"
	"syscall"
)

// protocolInput is stdin, from which the server reads the protocol (see
// pollable).
func protocolInput() *os.File { return pollable(os.Stdin) }

// protocolOutput is stdout, to which the server writes the protocol, made
// pollable as stdin is: a write that finds the pipe full then parks its
// goroutine instead of holding a thread. Nothing else writes to stdout (the
// log goes to stderr), and the server starts no process that inherits it.
func protocolOutput() *os.File { return pollable(os.Stdout) }

// pollable returns f, or, when f is a pipe or a socket (as editors start a
// server), a duplicate of its descriptor switched to non-blocking mode
// and read through the runtime's poller. A read waiting for the next message then
// parks its goroutine and frees its thread and processor, where a blocking
// read(2) holds them in a system call that the runtime's monitor thread
// keeps watching, waking every 20 µs to 10 ms, after every keystroke until
// the next one (about 12 of the 30 context switches a keystroke typed at a
// person's pace cost, peerbench's paced server CPU row). A terminal or a
// file is left as it is: its mode is shared with whoever else reads it.
// The mode of a pipe is shared too (O_NONBLOCK belongs to the open file,
// which the duplicate and descriptor 0 share), so nothing else in the
// process may read os.Stdin after this: the protocol is its one reader.
func pollable(f *os.File) *os.File {
	fd := int(f.Fd())
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return f
	}
	if m := st.Mode & syscall.S_IFMT; m != syscall.S_IFIFO && m != syscall.S_IFSOCK {
		return f
	}
	dup, err := syscall.Dup(fd)
	if err != nil {
		return f
	}
	syscall.CloseOnExec(dup)
	if err := syscall.SetNonblock(dup, true); err != nil {
		_ = syscall.Close(dup)
		return f
	}
	return os.NewFile(uintptr(dup), f.Name())
}
