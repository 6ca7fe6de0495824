//go:build unix

package server

import (
	"syscall"
	"testing"
	"time"
)

// reportCPU adds the process's CPU time per operation to benchmark b, so
// that numbers taken on a busy machine stay comparable: wall time there
// counts the waits for a core. Call it after the benchmark loop, with the
// value cpuNow gave before it.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuNow()-start)/float64(b.N)/1e6, "cpu-ms/op")
}

// cpuNow returns the CPU time the process has used, in user and system
// mode, garbage collection included.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
