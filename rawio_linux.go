package main

import (
	"io"
	"os"
	"syscall"
	"unsafe"
)

// rawFile reads and writes a non-blocking descriptor (one pollable made)
// through the runtime's poller, making the read(2) and write(2) calls
// itself as raw system calls. A Go system call wakes the runtime's
// monitor thread when the process has been idle, and the monitor then
// polls every 20 µs until the process is idle again: after a pause, 3 to
// 5 wakes of a cold thread, ~0.1 ms of CPU each keystroke typed at a
// person's pace (peerbench's paced row), for calls that never block here.
// The poller waits where a call would (EAGAIN).
type rawFile struct {
	f  *os.File
	rc syscall.RawConn
}

// rawIO returns f read and written by raw system calls when it is
// non-blocking (pollable switched it), else f itself.
func rawIO(f *os.File) io.ReadWriteCloser {
	fl, err := fcntl(f, syscall.F_GETFL)
	if err != nil || fl&syscall.O_NONBLOCK == 0 {
		return f
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return f
	}
	return rawFile{f, rc}
}

// fcntl returns fcntl(2)'s answer to cmd on f's descriptor.
func fcntl(f *os.File, cmd int) (int, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, err
	}
	var v uintptr
	var errno syscall.Errno
	if err := rc.Control(func(fd uintptr) {
		v, _, errno = syscall.RawSyscall(syscall.SYS_FCNTL, fd, uintptr(cmd), 0)
	}); err != nil {
		return 0, err
	}
	if errno != 0 {
		return 0, errno
	}
	return int(v), nil
}

func (r rawFile) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	var n uintptr
	var errno syscall.Errno
	err := r.rc.Read(func(fd uintptr) bool {
		for {
			n, _, errno = syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
			switch errno {
			case syscall.EINTR:
				continue
			case syscall.EAGAIN:
				return false // the poller waits for input
			}
			return true
		}
	})
	switch {
	case err != nil:
		return 0, err
	case errno != 0:
		return 0, os.NewSyscallError("read", errno)
	case n == 0:
		return 0, io.EOF
	}
	return int(n), nil
}

func (r rawFile) Write(p []byte) (int, error) {
	written := 0
	var errno syscall.Errno
	err := r.rc.Write(func(fd uintptr) bool {
		for written < len(p) {
			n, _, e := syscall.RawSyscall(syscall.SYS_WRITE, fd, uintptr(unsafe.Pointer(&p[written])), uintptr(len(p)-written))
			switch e {
			case 0:
				written += int(n)
			case syscall.EINTR:
			case syscall.EAGAIN:
				return false // the poller waits for room
			default:
				errno = e
				return true
			}
		}
		return true
	})
	switch {
	case err != nil:
		return written, err
	case errno != 0:
		return written, os.NewSyscallError("write", errno)
	}
	return written, nil
}

func (r rawFile) Close() error { return r.f.Close() }

// SyscallConn reaches the descriptor, for the server to widen its pipe.
func (r rawFile) SyscallConn() (syscall.RawConn, error) { return r.rc, nil }
