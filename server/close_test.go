package server

import (
	"fmt"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestCloseFreesDocument opens and closes many large documents: once
// closed, a document's rule cache is garbage, and the heap comes back to
// where it was.
func TestCloseFreesDocument(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	text := testgen.Large(250) // about 5,000 lines
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	var caches []weak.Pointer[rules.Cache]
	for i := range 20 {
		u := fmt.Sprintf("file:///w/%d/Dockerfile", i)
		c.open(u, text, 1)
		c.diagnostics(u, 1)
		snap, ok := c.srv.Snapshot(u)
		if !ok || snap.Rules == nil {
			t.Fatalf("%s: no rule cache", u)
		}
		caches = append(caches, weak.Make(snap.Rules))
		c.close(u)
	}
	c.call("shutdown", nil, nil) // orders every close before it
	after := heap()
	for i := 0; i < 20 && caches[len(caches)-1].Value() != nil; i++ {
		time.Sleep(10 * time.Millisecond)
		heap()
	}
	for i, w := range caches {
		if w.Value() != nil {
			t.Errorf("document %d's rule cache is still reachable after didClose", i)
		}
	}
	t.Logf("heap %d kB before, %d kB after 20 documents of 5,000 lines opened and closed", before>>10, after>>10)
	if after > before+32<<20 {
		t.Errorf("heap grew from %d to %d MB", before>>20, after>>20)
	}
}
