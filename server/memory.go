package server

import (
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// largeHeapGC is the garbage collector's target, in percent of the live
// heap, once a large document is open: a keystroke's answers on a large
// file (outline, semantic tokens, diagnostics) leave megabytes of garbage,
// and at the default 100 the heap doubles before it is collected. Unlike a
// memory limit, a lower percentage never makes the collector run without
// end when the documents themselves need more memory.
const largeHeapGC = 50

// gcHeadroom is the least the heap may grow past the live heap between
// collections once the target is lowered (gcPercentFor): at 9 MB live
// (21,000 lines, diagnostics only) largeHeapGC alone let it grow 4.5 MB, a
// collection every 17 keystrokes, which cost more than a tenth of each
// keystroke's CPU; 12 MB is a collection every ~90 keystrokes there (a
// keystroke leaves ~135 KB). With outline and semantic tokens open (18 MB
// live at 19,000 lines, where the peak memory is measured) it is 67%: the
// typing session's peak RSS rises from 45 to about 48 MB, under its 60.
const gcHeadroom = 12 << 20

// gcPercentMax bounds gcPercentFor: a small live heap grows at most 1.5
// times itself (a few megabytes) before it is collected.
const gcPercentMax = 150

// requestGarbage is what a request (an outline, semantic tokens, a
// diagnostics run) must allocate for memory to be returned to the system
// after it. A request over the whole of a large file that builds its
// answer anew (the first outline, the tokens of 20,000 lines, diagnostics
// after a FROM is renamed) leaves megabytes; a keystroke's incremental
// work a few hundred kilobytes, which the collector's lowered target
// (largeHeapGC) takes back. A full collection forced a second after every
// such keystroke cost more than the keystrokes themselves when typing at a
// person's pace (peerbench's paced server CPU row).
const requestGarbage = 4 << 20

// fitMemory returns garbage to the system and, the first time, lowers the
// collector's target to largeHeapGC.
func (s *Server) fitMemory() {
	if s.gcLowered.CompareAndSwap(false, true) {
		if old := debug.SetGCPercent(largeHeapGC); old < largeHeapGC {
			debug.SetGCPercent(old) // already lower, or off (GOGC): keep it
		} else {
			s.gcPercent.Store(largeHeapGC)
		}
	}
	debug.FreeOSMemory()
	s.tuneGC()
}

// gcPercentFor is the collector's target, in percent, for a live heap of
// live bytes once it is lowered: largeHeapGC, or what lets the heap grow
// gcHeadroom when that is more, up to gcPercentMax.
func gcPercentFor(live uint64) int32 {
	if live == 0 {
		return 100
	}
	return int32(min(max(gcHeadroom*100/live, largeHeapGC), gcPercentMax))
}

// tuneGC sets the collector's target for the live heap now (gcPercentFor),
// once fitMemory has lowered it, unless GOGC had set it lower.
func (s *Server) tuneGC() {
	s.tuneGCFor(readMetric("/gc/heap/live:bytes"))
}

// tuneGCFor is tuneGC for a live heap of live bytes.
func (s *Server) tuneGCFor(live uint64) {
	cur := s.gcPercent.Load()
	if cur == 0 {
		return
	}
	want := gcPercentFor(live)
	// Moves of a few points change little and would follow every
	// keystroke's garbage.
	if d := want - cur; d > 4 || d < -4 || want == largeHeapGC && cur != want {
		if s.gcPercent.CompareAndSwap(cur, want) {
			debug.SetGCPercent(int(want))
		}
	}
}

// returnMemoryAfter is the one policy for returning memory after a
// request: before is heapAllocated as the request began, and when the
// request has allocated more than requestGarbage since, memory is fitted
// (see returnMemory); after a smaller one nothing is done.
func (s *Server) returnMemoryAfter(before uint64) {
	// One read for both counters: each read of runtime/metrics gathers
	// the heap's statistics anew.
	m := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(m)
	if uint64Of(m[0])-before > requestGarbage {
		s.returnMemory()
		return
	}
	s.tuneGCFor(uint64Of(m[1]))
}

// returnMemory fits memory (see fitMemory) shortly after a large answer is
// sent, at most once a second: an editor may ask for the outline and the
// semantic tokens of a large file at every keystroke.
func (s *Server) returnMemory() {
	if !s.freeing.CompareAndSwap(false, true) {
		return
	}
	time.AfterFunc(50*time.Millisecond, func() {
		s.fitMemory()
		time.AfterFunc(time.Second, func() { s.freeing.Store(false) })
	})
}

// heapAllocated is the bytes the process has allocated on the heap so
// far (in all goroutines: a measure of a request's garbage, not an exact
// one).
func heapAllocated() uint64 { return readMetric("/gc/heap/allocs:bytes") }

// readMetric reads one of runtime/metrics' counters, or 0.
func readMetric(name string) uint64 {
	s := []metrics.Sample{{Name: name}}
	metrics.Read(s)
	return uint64Of(s[0])
}

// uint64Of is a counter's value, or 0.
func uint64Of(s metrics.Sample) uint64 {
	if s.Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s.Value.Uint64()
}
