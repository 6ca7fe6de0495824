package server

import (
	"runtime/debug"
	"time"
)

// largeHeapGC is the garbage collector's target, in percent of the live
// heap, once a large document is open: a keystroke's answers on a large
// file (outline, semantic tokens, diagnostics) leave megabytes of garbage,
// and at the default 100 the heap doubles before it is collected. Unlike a
// memory limit, a lower percentage never makes the collector run without
// end when the documents themselves need more memory.
const largeHeapGC = 50

// fitMemory returns garbage to the system and, the first time, lowers the
// collector's target to largeHeapGC.
func (s *Server) fitMemory() {
	if s.gcLowered.CompareAndSwap(false, true) {
		if old := debug.SetGCPercent(largeHeapGC); old < largeHeapGC {
			debug.SetGCPercent(old) // already lower, or off (GOGC): keep it
		}
	}
	debug.FreeOSMemory()
}

// returnMemory fits memory (see fitMemory) shortly after a large answer is
// sent, at most once a second: an editor asks for the outline and the
// semantic tokens of a large file, and its diagnostics are recomputed, at
// every keystroke, and each answer leaves megabytes behind.
func (s *Server) returnMemory() {
	if !s.freeing.CompareAndSwap(false, true) {
		return
	}
	time.AfterFunc(50*time.Millisecond, func() {
		s.fitMemory()
		time.AfterFunc(time.Second, func() { s.freeing.Store(false) })
	})
}
