package server

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// cancelCase is a heavy request on a large document, for the cancellation
// tests: method and params as a client sends them, and work, the same
// handler called from a test method that answers only the result's size.
type cancelCase struct {
	name, uri, text string
	method          string
	params          map[string]any
	work            func(ctx context.Context, s *Server) (int, error)
}

// hundredKLines is a 100,000-line Dockerfile whose one stage uses its ARG
// V twice on each of 50,000 continued RUNs.
func hundredKLines() string {
	var b strings.Builder
	b.WriteString("FROM alpine AS base\nARG V=1\n")
	for range 50000 {
		b.WriteString("RUN echo \"$V\" --flag 'x' \\\n  continued ${V}\n")
	}
	return b.String()
}

// manyUses is a Dockerfile whose one stage uses its ARG V five times on
// each of n continued RUNs (of two lines).
func manyUses(n int) string {
	var b strings.Builder
	b.WriteString("FROM alpine AS base\nARG V=1\n")
	for range n {
		b.WriteString("RUN echo $V ${V} \"$V\" \\\n  ${V} $V\n")
	}
	return b.String()
}

// cacheMountRuns is a build stage of n `go build` RUNs, each of which the
// cache-mount action checks runs as root (no USER before it in the stage)
// and reads for the tools it installs, then a final stage: the action's
// work grows with n (BenchmarkCodeActionManyRuns).
func cacheMountRuns(n int) string {
	var b strings.Builder
	b.WriteString("FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n")
	for i := range n {
		fmt.Fprintf(&b, "RUN go build ./cmd/x%d\n", i)
	}
	b.WriteString("FROM alpine\nCOPY --from=build /src /src\n")
	return b.String()
}

// wideStages is a Dockerfile of n stages, each built FROM a stage named
// by a global ARG and copying from each of the (up to) ten stages before
// it: a graph of n stages and about 10n edges.
func wideStages(n int) string {
	var b strings.Builder
	b.WriteString("ARG VAR=s0\nFROM alpine AS s0\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "# s%d builds part %d\nFROM ${VAR} AS s%d\n", i, i, i)
		for k := max(0, i-10); k < i; k++ {
			fmt.Fprintf(&b, "COPY --from=s%d /p%d /p%d\n", k, k, k)
		}
	}
	return b.String()
}

func cancelCases() []cancelCase {
	textDoc := func(u string) protocol.TextDocumentIdentifier {
		return protocol.TextDocumentIdentifier{URI: uri.URI(u)}
	}
	const (
		graphURI  = "file:///cancel/graph/Dockerfile"
		tokensURI = "file:///cancel/tokens/Dockerfile"
		refsURI   = "file:///cancel/refs/Dockerfile"
		actionURI = "file:///cancel/action/Dockerfile"
		renameURI = "file:///cancel/rename/Dockerfile"
	)
	// The code action is linear in the RUNs: 10,000 took 10 ms once it
	// was, too little to tell a cancel from a finish.
	big, refs, runs := hundredKLines(), manyUses(50000), 40000
	if raceEnabled {
		// The race detector slows the 30 MB answer of 250,000 references
		// and the cache-mount checks past the answer deadline.
		refs, runs = manyUses(5000), 10000
	}
	// The ARG V of the references file, used 100,000 times.
	argV := protocol.Position{Line: 1, Character: 4}
	onRun := protocol.Range{Start: protocol.Position{Line: 3}, End: protocol.Position{Line: 3}}
	return []cancelCase{{
		name: "stageGraph of 3,000 stages", uri: graphURI, text: wideStages(3000),
		method: "stagehand/stageGraph", params: map[string]any{"textDocument": map[string]any{"uri": graphURI}},
		work: func(ctx context.Context, s *Server) (int, error) {
			res, err := s.stageGraph(ctx, protocol.LSPAny(`{"textDocument":{"uri":"`+graphURI+`"}}`))
			if err != nil {
				return 0, err
			}
			return len(res.(stageGraphResult).Stages), nil
		},
	}, {
		name: "semanticTokens/full of 100,000 lines", uri: tokensURI, text: big,
		method: protocol.MethodTextDocumentSemanticTokensFull, params: map[string]any{"textDocument": map[string]any{"uri": tokensURI}},
		work: func(ctx context.Context, s *Server) (int, error) {
			res, err := s.SemanticTokensFull(ctx, &protocol.SemanticTokensParams{TextDocument: textDoc(tokensURI)})
			if err != nil {
				return 0, err
			}
			return len(res.Data), nil
		},
	}, {
		name: fmt.Sprintf("references in %d lines", strings.Count(refs, "\n")), uri: refsURI, text: refs,
		method: protocol.MethodTextDocumentReferences, params: map[string]any{
			"textDocument": map[string]any{"uri": refsURI}, "position": argV, "context": map[string]any{"includeDeclaration": true}},
		work: func(ctx context.Context, s *Server) (int, error) {
			res, err := s.References(ctx, &protocol.ReferenceParams{
				TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: textDoc(refsURI), Position: argV},
				Context:                    protocol.ReferenceContext{IncludeDeclaration: true},
			})
			return len(res), err
		},
	}, {
		name: fmt.Sprintf("rename in %d lines", strings.Count(refs, "\n")), uri: renameURI, text: refs,
		method: protocol.MethodTextDocumentRename, params: map[string]any{
			"textDocument": map[string]any{"uri": renameURI}, "position": argV, "newName": "W"},
		work: func(ctx context.Context, s *Server) (int, error) {
			res, err := s.Rename(ctx, &protocol.RenameParams{
				TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: textDoc(renameURI), Position: argV},
				NewName:                    "W",
			})
			if err != nil || res == nil {
				return 0, err
			}
			n := len(res.DocumentChanges)
			for _, edits := range res.Changes {
				n += len(edits)
			}
			return n, nil
		},
	}, {
		name: "codeAction with a slow root check", uri: actionURI, text: cacheMountRuns(runs),
		method: protocol.MethodTextDocumentCodeAction, params: map[string]any{
			"textDocument": map[string]any{"uri": actionURI}, "range": onRun,
			"context": map[string]any{"diagnostics": []any{}, "only": []string{"refactor"}}},
		work: func(ctx context.Context, s *Server) (int, error) {
			res, err := s.CodeAction(ctx, &protocol.CodeActionParams{
				TextDocument: textDoc(actionURI), Range: onRun,
				Context: protocol.CodeActionContext{Only: []protocol.CodeActionKind{"refactor"}},
			})
			return len(res), err
		},
	}}
}

// TestCancelHeavyRequests cancels heavy requests through the real JSON-RPC
// wiring, shortly after sending them: each must be answered
// RequestCancelled with no result, and in less than half the time the
// same request takes to run (its handler alone, without sending the
// result; with it, the uncancelled request takes longer still). No
// absolute timings: the machine may be loaded.
func TestCancelHeavyRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	cases := cancelCases()
	var srv *Server
	grab := func(_ *Config, setup *[]func(*Server)) { *setup = append(*setup, func(s *Server) { srv = s }) }
	work := withMethod("test/work", func(ctx context.Context, s *Server, params protocol.LSPAny) (any, error) {
		var p struct{ Case int }
		if err := json.Unmarshal(params, &p); err != nil {
			return nil, err
		}
		if p.Case < 0 {
			return 1, nil // a round trip, for the time the wiring takes
		}
		return cases[p.Case].work(ctx, s)
	})
	c := newRawClient(t, grab, work)
	// Uncancelled, these requests are heavy by design: on a loaded machine
	// (every package testing at once, -race) they may take more than the
	// liveness tests' deadline.
	c.deadline = time.Minute
	c.initialize()
	for _, tc := range cases {
		c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
			"uri": tc.uri, "languageId": "dockerfile", "version": 1, "text": tc.text}})
	}
	// Every document's diagnostics run has started once this is answered;
	// wait for them, so that they take no CPU from the timed requests.
	c.call("test/none", nil)
	srv.diagRuns.wait()

	// fastest returns the fastest of three runs of call.
	fastest := func(call func() time.Duration) time.Duration {
		var ds []time.Duration
		for range 3 {
			ds = append(ds, call())
		}
		return slices.Min(ds)
	}
	// roundTrip is the time a request that does nothing takes, which on a
	// loaded machine is not small beside a handler of tens of milliseconds.
	roundTrip := func() time.Duration {
		return fastest(func() time.Duration {
			start := time.Now()
			c.call("test/work", map[string]any{"case": -1})
			return time.Since(start)
		})
	}
	for k, tc := range cases {
		func() {
			full := fastest(func() time.Duration {
				start := time.Now()
				m := c.call(tc.method, tc.params)
				d := time.Since(start)
				if m.Error != nil || len(m.Result) < 100 {
					t.Fatalf("%s uncancelled: error %+v, result %.100s", tc.name, m.Error, m.Result)
				}
				return d
			})
			handler := fastest(func() time.Duration {
				start := time.Now()
				m := c.call("test/work", map[string]any{"case": k})
				d := time.Since(start)
				var n int
				if m.Error != nil || json.Unmarshal(m.Result, &n) != nil || n == 0 {
					t.Fatalf("%s uncancelled handler: error %+v, result %s", tc.name, m.Error, m.Result)
				}
				return d
			})
			// Cancel after a tenth of the handler's time: it is running by
			// then. A result means the cancel came too late; try again.
			var cancelled []time.Duration
			for tries := 0; len(cancelled) < 5; tries++ {
				if tries == 12 {
					t.Fatalf("%s: the cancel came after the answer %d times of 12", tc.name, tries-len(cancelled))
				}
				start := time.Now()
				id := c.request(tc.method, tc.params)
				time.Sleep(handler / 10)
				c.send(frame(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":` + id + `}}`))
				m, ok := c.await(id)
				d := time.Since(start)
				switch {
				case !ok:
					t.Fatalf("%s: no answer to the cancelled request", tc.name)
				case m.Error == nil && len(m.Result) > 0:
					continue
				case m.Error == nil || m.Error.Code != jsonrpc2.Code(-32800) || len(m.Result) != 0:
					t.Fatalf("%s cancelled: error %+v, result of %d bytes; want RequestCancelled (-32800) and no result", tc.name, m.Error, len(m.Result))
				}
				cancelled = append(cancelled, d)
			}
			got, trip := slices.Min(cancelled), roundTrip()
			// Beyond the round trip, the time the server spent.
			spent, work := max(got-trip, 0), max(handler-trip, time.Microsecond)
			t.Logf("%s: uncancelled %v (handler alone %v, a round trip %v), cancelled %v (runs %v): %.2f of the uncancelled, %.2f of the handler's time beyond the round trip",
				tc.name, full, handler, trip, got, cancelled, float64(got)/float64(full), float64(spent)/float64(work))
			if got >= full/2 || spent >= work/2 {
				t.Errorf("%s: cancelled request answered in %v, not under half the uncancelled %v (or its handler's %v beyond a round trip of %v)", tc.name, got, full, handler, trip)
			}
		}()
	}
	c.shutdownAndExit()
}
