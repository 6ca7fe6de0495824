package server

import (
	"math"
	"runtime"
	"runtime/debug"
	"time"
)

// answerRoom is the memory a keystroke's answers on a large file (outline,
// semantic tokens, diagnostics) leave behind before they are collected.
const answerRoom = 28 << 20

// fitMemory returns garbage to the system and keeps the runtime's soft
// memory limit at the heap the open documents need plus answerRoom, so
// that the garbage of answers is collected before the heap doubles. At
// open (set) the limit follows the heap; otherwise it only grows, and only
// when the heap comes near it, so that an answer in flight does not ratchet
// it up.
func (s *Server) fitMemory(set bool) {
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	live := int64(m.HeapAlloc)
	cur := debug.SetMemoryLimit(-1)
	switch {
	case cur == math.MaxInt64, set && live+answerRoom > cur, live+answerRoom/2 > cur:
		debug.SetMemoryLimit(live + answerRoom)
	}
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
		s.fitMemory(false)
		time.AfterFunc(time.Second, func() { s.freeing.Store(false) })
	})
}
