//go:build unix

package confined

import "syscall"

// openFlags open a FIFO without waiting for a writer, and a terminal
// without making it the controlling one.
const openFlags = syscall.O_NONBLOCK | syscall.O_NOCTTY
