package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A pipe made pollable is read and written by raw system calls: a write
// larger than the pipe holds waits in the poller for the reader and
// arrives whole, the reader sees EOF once the writer is closed, and a
// write to a pipe whose reader is gone fails with EPIPE. A blocking file is
// left to os.File.
func TestRawIO(t *testing.T) {
	var fds [2]int
	if err := syscall.Pipe(fds[:]); err != nil {
		t.Fatal(err)
	}
	r0, w0 := os.NewFile(uintptr(fds[0]), "r"), os.NewFile(uintptr(fds[1]), "w")
	defer r0.Close()
	in, out := rawIO(pollable(r0)), rawIO(pollable(w0))
	w0.Close() // pollable's duplicate holds the write end: its Close is the end of input
	if _, ok := in.(rawFile); !ok {
		t.Fatalf("the read end is a %T, not read by raw calls", in)
	}
	if _, ok := out.(rawFile); !ok {
		t.Fatalf("the write end is a %T, not written by raw calls", out)
	}
	msg := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB: past the pipe's 64 KiB
	done := make(chan error, 1)
	go func() {
		n, err := out.Write(msg)
		if err == nil && n != len(msg) {
			err = errors.New("short write")
		}
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		done <- err
	}()
	got, err := io.ReadAll(in) // to EOF
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("write: %v", err)
	}
	if !bytes.Equal(got, msg) {
		t.Fatalf("read %d bytes, want the %d written", len(got), len(msg))
	}
	if n, err := in.Read(nil); n != 0 || err != nil {
		t.Fatalf("an empty read: %d, %v", n, err)
	}

	if err := syscall.Pipe(fds[:]); err != nil {
		t.Fatal(err)
	}
	r1, w1 := os.NewFile(uintptr(fds[0]), "r"), os.NewFile(uintptr(fds[1]), "w")
	out = rawIO(pollable(w1))
	w1.Close()
	defer out.Close()
	r1.Close()
	if _, err := out.Write([]byte("x")); !errors.Is(err, syscall.EPIPE) {
		t.Fatalf("a write to a pipe without reader: %v, want EPIPE", err)
	}

	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := rawIO(f); got != io.ReadWriteCloser(f) {
		t.Fatalf("a blocking file became a %T", got)
	}
}
