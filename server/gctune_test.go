package server

import (
	"runtime/debug"
	"testing"
)

// gcPercentFor gives the heap gcHeadroom to grow when largeHeapGC gives
// less, never below largeHeapGC nor above gcPercentMax.
func TestGCPercentFor(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int32
	}{
		{0, 100},
		{1 << 20, gcPercentMax},
		{gcHeadroom, 100},
		{9 << 20, 133}, // 21,000 lines, diagnostics only: 12 MB, not 4.5
		{18 << 20, 66}, // 19,000 lines, outline and tokens open
		{gcHeadroom * 2, largeHeapGC},
		{40 << 20, largeHeapGC}, // outline and tokens open: as before
	} {
		if got := gcPercentFor(c.live); got != c.want {
			t.Errorf("gcPercentFor(%d MB) = %d, want %d", c.live>>20, got, c.want)
		}
		if c.live > 0 && c.live*uint64(gcPercentFor(c.live))/100 < min(c.live/2, gcHeadroom, c.live*gcPercentMax/100) {
			t.Errorf("%d MB live: less headroom than largeHeapGC or gcHeadroom", c.live>>20)
		}
	}
}

// sink takes TestTuneGCSetsTarget's garbage, which the compiler then keeps.
var sink []byte

// fitMemory lowers the target and tuneGC sets it for the live heap of this
// test process (a few megabytes: gcPercentFor's), in the runtime and in
// gcPercent; a GOGC lower than largeHeapGC is left alone.
func TestTuneGCSetsTarget(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	s := New(Config{})
	s.fitMemory()
	got := s.gcPercent.Load()
	if want := gcPercentFor(readMetric("/gc/heap/live:bytes")); got < want-4 || got > want+4 {
		t.Fatalf("gcPercent %d after fitMemory, want about %d", got, want)
	}
	if rt := debug.SetGCPercent(int(got)); int32(rt) != got {
		t.Fatalf("the runtime's target is %d, gcPercent %d", rt, got)
	}

	// A small request's end sets it too, from the same read as its
	// garbage.
	for range 40 { // garbage: the process has allocated far more than it holds
		sink = make([]byte, 1<<20)
	}
	sink = nil
	s.gcPercent.Store(largeHeapGC)
	debug.SetGCPercent(largeHeapGC)
	s.returnMemoryAfter(heapAllocated())
	got = s.gcPercent.Load()
	if want := gcPercentFor(readMetric("/gc/heap/live:bytes")); want > largeHeapGC+4 && (got < want-4 || got > want+4) {
		t.Fatalf("gcPercent %d after a small request, want about %d", got, want)
	}
	if rt := debug.SetGCPercent(int(got)); int32(rt) != got {
		t.Fatalf("the runtime's target is %d after a small request, gcPercent %d", rt, got)
	}

	debug.SetGCPercent(20) // as GOGC=20 would
	s = New(Config{})
	s.fitMemory()
	s.tuneGC()
	if rt := debug.SetGCPercent(20); rt != 20 || s.gcPercent.Load() != 0 {
		t.Fatalf("GOGC=20 became %d (gcPercent %d)", rt, s.gcPercent.Load())
	}
}
