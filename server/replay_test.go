package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
	"github.com/stagehand-ls/stagehand/server"
)

// rawClient speaks JSON-RPC to a server over a pipe with nothing in
// between: the replay benchmarks measure the server, not a client library.
type rawClient struct {
	conn   net.Conn
	in     *bufio.Reader
	nextID int
}

func startRaw(tb testing.TB) *rawClient {
	tb.Helper()
	srv := server.New(server.Config{Logger: zap.NewNop()})
	serverEnd, clientEnd := net.Pipe()
	go func() { _ = srv.Serve(context.Background(), serverEnd) }()
	tb.Cleanup(func() { _ = clientEnd.Close() })
	return &rawClient{conn: clientEnd, in: bufio.NewReaderSize(clientEnd, 1<<20)}
}

func (c *rawClient) send(tb testing.TB, msg map[string]any) {
	msg["jsonrpc"] = "2.0"
	body, err := json.Marshal(msg)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := fmt.Fprintf(c.conn, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		tb.Fatal(err)
	}
}

// read returns the next message from the server.
func (c *rawClient) read(tb testing.TB) map[string]json.RawMessage {
	length := -1
	for {
		line, err := c.in.ReadString('\n')
		if err != nil {
			tb.Fatal(err)
		}
		line = strings.TrimSpace(line)
		if line == "" {
			break
		}
		if v, ok := strings.CutPrefix(line, "Content-Length:"); ok {
			length, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(c.in, body); err != nil {
		tb.Fatal(err)
	}
	var msg map[string]json.RawMessage
	if err := json.Unmarshal(body, &msg); err != nil {
		tb.Fatal(err)
	}
	return msg
}

// call sends a request and waits for its response, skipping notifications.
func (c *rawClient) call(tb testing.TB, method string, params any) json.RawMessage {
	c.nextID++
	id := c.nextID
	c.send(tb, map[string]any{"id": id, "method": method, "params": params})
	for {
		msg := c.read(tb)
		if string(msg["id"]) == strconv.Itoa(id) {
			if e, ok := msg["error"]; ok {
				tb.Fatalf("%s failed: %s", method, e)
			}
			return msg["result"]
		}
	}
}

func (c *rawClient) notify(tb testing.TB, method string, params any) {
	c.send(tb, map[string]any{"method": method, "params": params})
}

// waitDiagnostics reads until diagnostics for version arrive.
func (c *rawClient) waitDiagnostics(tb testing.TB, version int) {
	for {
		msg := c.read(tb)
		if string(msg["method"]) != `"textDocument/publishDiagnostics"` {
			continue
		}
		var p struct{ Version *int }
		if err := json.Unmarshal(msg["params"], &p); err != nil {
			tb.Fatal(err)
		}
		if p.Version != nil && *p.Version == version {
			return
		}
	}
}

func (c *rawClient) initialize(tb testing.TB) {
	caps := map[string]any{"textDocument": map[string]any{"documentSymbol": map[string]any{"hierarchicalDocumentSymbolSupport": true}}}
	c.call(tb, "initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": caps})
	c.notify(tb, "initialized", map[string]any{})
}

func replayFiles(tb testing.TB) map[string]string {
	files := map[string]string{"large": testgen.Large(1000)}
	if text, ok := testgen.CorpusText(tb, "moby__buildkit__Dockerfile"); ok {
		files["buildkit"] = text
	}
	return files
}

// BenchmarkInitialize measures a server from its start to the initialize
// result.
func BenchmarkInitialize(b *testing.B) {
	for b.Loop() {
		c := startRaw(b)
		c.call(b, "initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}})
		_ = c.conn.Close()
	}
}

// typist types into the RUN line nearest the middle of a document open
// over the pipe, one character a keystroke, as the keystroke benchmarks do.
type typist struct {
	c                  *rawClient
	uri                string
	line, col, version int
}

// openForTyping starts a server over the pipe, opens text in it and waits
// for its first diagnostics.
func openForTyping(b *testing.B, text string) *typist {
	c := startRaw(b)
	c.initialize(b)
	k := &typist{c: c, uri: "file:///bench/Dockerfile", version: 1}
	c.notify(b, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": k.uri, "languageId": "dockerfile", "version": 1, "text": text}})
	c.waitDiagnostics(b, 1)
	lines := strings.Split(text, "\n")
	k.line = len(lines) / 2
	for !strings.HasPrefix(lines[k.line], "RUN ") {
		k.line++
	}
	k.col = len(lines[k.line])
	return k
}

// keystroke types one character and waits for that version's diagnostics.
func (k *typist) keystroke(b *testing.B) {
	k.version++
	pos := map[string]any{"line": k.line, "character": k.col}
	k.c.notify(b, "textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": k.uri, "version": k.version},
		"contentChanges": []any{map[string]any{"range": map[string]any{"start": pos, "end": pos}, "text": "x"}},
	})
	k.col++
	k.c.waitDiagnostics(b, k.version)
}

// BenchmarkDidChangeToDiagnostics types into a RUN line in the middle of an
// open file and measures each keystroke's didChange until the server has
// published that version's diagnostics; p50-ms is the median keystroke.
func BenchmarkDidChangeToDiagnostics(b *testing.B) {
	for name, text := range replayFiles(b) {
		b.Run(name, func(b *testing.B) {
			k := openForTyping(b, text)
			var took []time.Duration
			cpu := testgen.CPUTime()
			for b.Loop() {
				start := time.Now()
				k.keystroke(b)
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2])/1e6, "p50-ms")
			// Client and server share the process: its CPU time per keystroke.
			testgen.ReportCPU(b, cpu)
		})
	}
}

// BenchmarkNavigationThroughServer asks, over the pipe, for definition and
// references at stage references spread over the generated 20,000-line
// file, and for its symbols and full semantic tokens.
func BenchmarkNavigationThroughServer(b *testing.B) {
	text := testgen.Large(1000)
	c := startRaw(b)
	c.initialize(b)
	const uri = "file:///bench/Dockerfile"
	c.notify(b, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
	c.waitDiagnostics(b, 1)
	doc := analysis.NewDocument(text)
	var at []map[string]any
	for _, r := range analysis.Parse(doc).Refs() {
		if r.Resolution == analysis.ResolvesStage {
			p := doc.Position(r.Span.Start, analysis.UTF16)
			at = append(at, map[string]any{"line": p.Line, "character": p.Col})
		}
	}
	td := map[string]any{"uri": uri}
	b.Run("definition", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if res := c.call(b, "textDocument/definition", map[string]any{"textDocument": td, "position": at[i%len(at)]}); string(res) == "null" {
				b.Fatal("no definition")
			}
			i += 97
		}
	})
	b.Run("references", func(b *testing.B) {
		i := 0
		for b.Loop() {
			c.call(b, "textDocument/references", map[string]any{"textDocument": td, "position": at[i%len(at)], "context": map[string]any{"includeDeclaration": true}})
			i += 97
		}
	})
	b.Run("document-symbol", func(b *testing.B) {
		for b.Loop() {
			if res := c.call(b, "textDocument/documentSymbol", map[string]any{"textDocument": td}); len(res) < 1000 {
				b.Fatal("no symbols")
			}
		}
	})
	b.Run("semantic-tokens-full", func(b *testing.B) {
		for b.Loop() {
			if res := c.call(b, "textDocument/semanticTokens/full", map[string]any{"textDocument": td}); len(res) < 1000 {
				b.Fatal("no tokens")
			}
		}
	})
}
