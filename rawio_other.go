//go:build !linux

package main

import (
	"io"
	"os"
)

// rawIO returns f: raw reads and writes are Linux's (rawio_linux.go).
func rawIO(f *os.File) io.ReadWriteCloser { return f }
