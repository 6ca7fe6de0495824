package server

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
)

// publisherLoops counts the goroutines running a publisher's loop.
func publisherLoops() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return bytes.Count(buf[:n], []byte("server.(*publisher).loop("))
		}
		buf = make([]byte, 2*len(buf))
	}
}

// waitLoops waits until publisherLoops is want.
func waitLoops(t *testing.T, want int, when string) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for publisherLoops() != want {
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d publisher goroutines, want %d", when, publisherLoops(), want)
		}
		time.Sleep(time.Millisecond)
	}
}

// settleWithin is settle, failing instead of hanging when the runs
// counted in flight never end.
func (c *testClient) settleWithin(when string) {
	c.t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.settle()
	}()
	select {
	case <-done:
	case <-time.After(testTimeout):
		c.t.Fatalf("%s: diagnostics runs still counted in flight", when)
	}
}

// Each open document's publisher keeps one goroutine from its first run to
// its close, between bursts, and every version typed after a pause is
// published by it; closing the document ends it, also when the close comes
// while a run is in flight with a change pending behind it, and the runs
// counted for the tests all end.
func TestPublisherGoroutineKeptUntilClose(t *testing.T) {
	release := make(chan struct{})
	blocking := make(chan struct{}, 1)
	c := newTestClient(t, withDiagnose(func(ix *analysis.Index, cfg *rules.Config) []rules.Diagnostic {
		if strings.Contains(ix.Doc.Text(), "block") {
			blocking <- struct{}{}
			<-release
		}
		return rules.Run(ix, cfg)
	}))
	c.initialize()
	before := publisherLoops()
	const a, b = "file:///w/a/Dockerfile", "file:///w/b/Dockerfile"
	c.open(a, "FROM alpine\nRUN echo a\n", 1)
	c.open(b, "FROM alpine\nRUN echo b\n", 1)
	c.diagnostics(a, 1)
	c.diagnostics(b, 1)
	for v := int32(2); v <= 6; v++ {
		c.settleWithin("between bursts")
		if got := publisherLoops() - before; got != 2 {
			t.Fatalf("before version %d: %d publisher goroutines, want one for each open document", v, got)
		}
		c.change(a, v, partial(1, 10, 1, 10, "x"))
		if d := c.diagnostics(a, v); d == nil {
			t.Fatalf("version %d: no diagnostics", v)
		}
	}
	c.close(a)
	waitLoops(t, before+1, "after closing a")
	c.settleWithin("after closing a")

	// b's run blocks; a change waits behind it; b is closed meanwhile.
	c.change(b, 2, partial(1, 10, 1, 10, " block"))
	select {
	case <-blocking:
	case <-time.After(testTimeout):
		t.Fatal("the blocking run did not start")
	}
	c.change(b, 3, partial(1, 10, 1, 10, "y"))
	c.close(b)
	_ = c.call("test/settled", nil, nil) // the close is served
	close(release)
	waitLoops(t, before, "after closing b")
	c.settleWithin("after closing b")
	var last *published
	for _, p := range c.publications() {
		if p.URI == b {
			last = &p
		}
	}
	if last == nil || len(last.Diagnostics) != 0 || last.Version != nil {
		t.Fatalf("b's last publication is not the clearing one: %+v", last)
	}

	// A change wakes a waiting loop and the close comes right behind it,
	// often before the loop has taken the wake.
	for i := range 40 {
		u := fmt.Sprintf("file:///w/c%d/Dockerfile", i)
		c.open(u, "FROM alpine\n", 1)
		c.diagnostics(u, 1)
		c.settleWithin("before the change")
		c.change(u, 2, partial(0, 11, 0, 11, "\n"))
		c.close(u)
	}
	waitLoops(t, before, "after the quick closes")
	c.settleWithin("after the quick closes")
}

// A loop woken and stopped right after (one processor keeps it from
// running between the two) ends, and the runs counted in flight end. (The
// narrower case, a wake left in the buffer when the loop sees the stop,
// which loop drains, needs the wake sent between a burst's end and the
// loop's select: no test provokes it.)
func TestPublisherStopAfterWakeCounted(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	s := New(Config{})
	before := publisherLoops()
	for i := range 50 {
		u := uri.URI(fmt.Sprintf("file:///w/%d/Dockerfile", i))
		s.scheduleDiagnostics(u) // starts the loop; no document, no run
		s.diagRuns.wait()
		s.scheduleDiagnostics(u) // wakes it
		s.docs.dropPublisher(u).stop()
		waitLoops(t, before, fmt.Sprintf("round %d", i))
		s.diagRuns.mu.Lock()
		n := s.diagRuns.n
		s.diagRuns.mu.Unlock()
		if n != 0 {
			t.Fatalf("round %d: %d runs still counted in flight", i, n)
		}
	}
}
