package server

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/protocol"
)

// BenchmarkRequestStorm opens a 100,000-line file and a 3,000-stage one
// and fires stormSize heavy requests at once (stage graph, full semantic
// tokens, document symbols, references: a quarter each), then waits for
// every answer; with cancel, it cancels them all shortly after sending
// them. It reports the peak of the heap in use, sampled while the storm
// lasts (the test client's copies of the answers included), as
// peak-heap-MB, and the answers cancelled. Run it with -benchtime=1x: a
// storm takes seconds.
func BenchmarkRequestStorm(b *testing.B) {
	const stormSize = 32
	for _, cancel := range []bool{false, true} {
		name := "uncancelled"
		if cancel {
			name = "cancelled"
		}
		b.Run(name, func(b *testing.B) {
			var srv *Server
			grab := func(_ *Config, setup *[]func(*Server)) { *setup = append(*setup, func(s *Server) { srv = s }) }
			c := newRawClient(&testing.T{}, grab)
			c.initialize()
			const bigURI, graphURI = "file:///storm/big/Dockerfile", "file:///storm/graph/Dockerfile"
			for u, text := range map[string]string{bigURI: hundredKLines(), graphURI: wideStages(3000)} {
				c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
					"uri": u, "languageId": "dockerfile", "version": 1, "text": text}})
			}
			c.call("test/none", nil)
			srv.diagRuns.wait()
			doc := func(u string) map[string]any { return map[string]any{"uri": u} }
			requests := []struct {
				method string
				params any
			}{
				{"stagehand/stageGraph", map[string]any{"textDocument": doc(graphURI)}},
				{protocol.MethodTextDocumentSemanticTokensFull, map[string]any{"textDocument": doc(bigURI)}},
				{protocol.MethodTextDocumentDocumentSymbol, map[string]any{"textDocument": doc(bigURI)}},
				{protocol.MethodTextDocumentReferences, map[string]any{"textDocument": doc(bigURI),
					"position": protocol.Position{Line: 1, Character: 4}, "context": map[string]any{"includeDeclaration": true}}},
			}

			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			base := ms.HeapInuse
			var peak uint64
			stop, sampled := make(chan struct{}), make(chan struct{})
			go func() {
				defer close(sampled)
				tick := time.NewTicker(5 * time.Millisecond)
				defer tick.Stop()
				for {
					var ms runtime.MemStats
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapInuse)
					select {
					case <-stop:
						return
					case <-tick.C:
					}
				}
			}()
			cancelled := 0
			b.ResetTimer()
			for b.Loop() {
				ids := make([]string, stormSize)
				for i := range ids {
					r := requests[i%len(requests)]
					ids[i] = c.request(r.method, r.params)
				}
				if cancel {
					time.Sleep(20 * time.Millisecond)
					for _, id := range ids {
						c.send(frame(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":` + id + `}}`))
					}
				}
				var mu sync.Mutex
				var wg sync.WaitGroup
				for _, id := range ids {
					wg.Go(func() {
						// A storm's last answers may take longer than
						// await's deadline on a loaded machine.
						m, ok := c.await(id)
						for tries := 1; !ok && tries < 12; tries++ {
							m, ok = c.await(id)
						}
						if !ok {
							b.Errorf("no answer to request %s", id)
							return
						}
						if m.Error != nil && m.Error.Code == -32800 {
							mu.Lock()
							cancelled++
							mu.Unlock()
						}
					})
				}
				wg.Wait()
			}
			b.StopTimer()
			close(stop)
			<-sampled
			b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
			b.ReportMetric(float64(peak-min(base, peak))/1e6, "storm-heap-MB")
			b.ReportMetric(float64(cancelled)/float64(b.N), "cancelled/op")
			c.shutdownAndExit()
			_ = c.conn.Close() // the zero testing.T runs no cleanups
		})
	}
}
