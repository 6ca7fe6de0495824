package testgen

import (
	"testing"
	"time"
)

// ReportCPU adds the process's CPU time per operation to benchmark b, as
// "cpu-ms/op". Call it after the benchmark loop, with the value CPUTime
// gave before it.
func ReportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(CPUTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}
