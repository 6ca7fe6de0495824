//go:build unix

package testgen

import (
	"syscall"
	"time"
)

// CPUTime returns the CPU time the process has used, in user and system
// mode, garbage collection included: benchmarks report it beside wall time
// so that numbers taken on a busy machine stay comparable.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
