package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// BenchmarkServeProcess starts the real command, times it to the initialize
// result, opens the generated 20,000-line file, waits for its diagnostics,
// and reports the process's resident memory then.
func BenchmarkServeProcess(b *testing.B) {
	bin := buildStagehand(b)
	text := testgen.Large(1000)
	var initTotal time.Duration
	var rssTotal float64
	for b.Loop() {
		cmd := exec.Command(bin, "serve")
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		published := make(chan struct{}, 1)
		conn := jsonrpc2.NewConn(jsonrpc2.NewHeaderStream(pipes{stdout, stdin}))
		conn.Go(ctx, func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
			if req.Method() == protocol.MethodTextDocumentPublishDiagnostics {
				select {
				case published <- struct{}{}:
				default:
				}
			}
			return nil, nil
		})
		if _, err := conn.Call(ctx, protocol.MethodInitialize, map[string]any{"capabilities": map[string]any{}}, nil); err != nil {
			b.Fatal(err)
		}
		initTotal += time.Since(start)
		_ = conn.Notify(ctx, protocol.MethodInitialized, map[string]any{})
		_ = conn.Notify(ctx, protocol.MethodTextDocumentDidOpen, map[string]any{"textDocument": map[string]any{
			"uri": "file:///large/Dockerfile", "languageId": "dockerfile", "version": 1, "text": text}})
		select {
		case <-published:
		case <-ctx.Done():
			b.Fatal("no diagnostics for the large file")
		}
		rssTotal += residentMB(b, cmd.Process.Pid)
		_, _ = conn.Call(ctx, protocol.MethodShutdown, nil, nil)
		_ = conn.Notify(ctx, protocol.MethodExit, nil)
		_ = cmd.Wait()
		_ = conn.Close()
		cancel()
	}
	b.ReportMetric(float64(initTotal.Microseconds())/float64(b.N)/1000, "ms-to-initialize")
	b.ReportMetric(rssTotal/float64(b.N), "RSS-MB")
}

// residentMB reads a process's resident set size from /proc.
func residentMB(b *testing.B, pid int) float64 {
	return statusMB(b, pid, "VmRSS:")
}

// statusMB reads a size in the process's /proc status, in MB.
func statusMB(b *testing.B, pid int, field string) float64 {
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		b.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return float64(kb) / 1024
		}
	}
	b.Fatalf("no %s", field)
	return 0
}

// BenchmarkTypingSession starts the real command, opens a generated
// 19,000-line file, and types into it as an editor does: after each
// keystroke it asks for the document's symbols (as a tree) and its full
// semantic tokens, and waits for the keystroke's diagnostics. It reports
// documentSymbol's median time and the process's peak resident memory
// (VmHWM) once the file is open and over the whole session. The time is
// this client's, which decodes each answer whole (go.lsp.dev/jsonrpc2,
// encoding/json: most of it for 3.6 MB of outline); tools/peerbench times
// the server, to the answer's last byte.
func BenchmarkTypingSession(b *testing.B) {
	bin := buildStagehand(b)
	text := testgen.Large(905)
	lines := strings.Split(text, "\n")
	line := len(lines) / 2
	for !strings.HasPrefix(lines[line], "RUN ") {
		line++
	}
	cmd := exec.Command(bin, "serve")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	published := make(chan int, 64)
	conn := jsonrpc2.NewConn(jsonrpc2.NewHeaderStream(pipes{stdout, stdin}))
	conn.Go(ctx, func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		if req.Method() == protocol.MethodTextDocumentPublishDiagnostics {
			var p struct{ Version *int }
			if err := json.Unmarshal(req.Params(), &p); err == nil && p.Version != nil {
				published <- *p.Version
			}
		}
		return nil, nil
	})
	defer func() {
		_, _ = conn.Call(ctx, protocol.MethodShutdown, nil, nil)
		_ = conn.Notify(ctx, protocol.MethodExit, nil)
		_ = cmd.Wait()
		_ = conn.Close()
	}()
	caps := map[string]any{"textDocument": map[string]any{
		"documentSymbol": map[string]any{"hierarchicalDocumentSymbolSupport": true},
		"semanticTokens": map[string]any{"requests": map[string]any{"full": true}, "tokenTypes": []string{}, "tokenModifiers": []string{}, "formats": []string{"relative"}},
	}}
	if _, err := conn.Call(ctx, protocol.MethodInitialize, map[string]any{"capabilities": caps}, nil); err != nil {
		b.Fatal(err)
	}
	_ = conn.Notify(ctx, protocol.MethodInitialized, map[string]any{})
	const uri = "file:///session/Dockerfile"
	_ = conn.Notify(ctx, protocol.MethodTextDocumentDidOpen, map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
	waitVersion := func(v int) {
		for {
			select {
			case got := <-published:
				if got == v {
					return
				}
			case <-ctx.Done():
				b.Fatalf("no diagnostics for version %d", v)
			}
		}
	}
	waitVersion(1)
	openPeak := statusMB(b, cmd.Process.Pid, "VmHWM:")
	td := map[string]any{"uri": uri}
	cpuStart := processCPU(b, cmd.Process.Pid)
	col, version := len(lines[line]), 1
	var took []time.Duration
	for b.Loop() {
		version++
		pos := map[string]any{"line": line, "character": col}
		_ = conn.Notify(ctx, protocol.MethodTextDocumentDidChange, map[string]any{
			"textDocument":   map[string]any{"uri": uri, "version": version},
			"contentChanges": []any{map[string]any{"range": map[string]any{"start": pos, "end": pos}, "text": "x"}},
		})
		col++
		start := time.Now()
		var syms []json.RawMessage
		if _, err := conn.Call(ctx, protocol.MethodTextDocumentDocumentSymbol, map[string]any{"textDocument": td}, &syms); err != nil || len(syms) < 900 {
			b.Fatalf("documentSymbol: %d symbols, %v", len(syms), err)
		}
		took = append(took, time.Since(start))
		var toks json.RawMessage
		if _, err := conn.Call(ctx, protocol.MethodTextDocumentSemanticTokensFull, map[string]any{"textDocument": td}, &toks); err != nil || len(toks) < 1000 {
			b.Fatalf("semantic tokens: %.200s, %v", toks, err)
		}
		waitVersion(version)
	}
	b.ReportMetric(float64(processCPU(b, cmd.Process.Pid)-cpuStart)/float64(b.N)/1e6, "server-cpu-ms/keystroke")
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "docSymbol-decoded-p50-ms")
	b.ReportMetric(openPeak, "open-peak-RSS-MB")
	b.ReportMetric(statusMB(b, cmd.Process.Pid, "VmHWM:"), "peak-RSS-MB")
	b.ReportMetric(statusMB(b, cmd.Process.Pid, "VmRSS:"), "end-RSS-MB")
}

// processCPU returns the CPU time a process has used, in user and system
// mode, from /proc (in clock ticks of 10 ms).
func processCPU(b *testing.B, pid int) time.Duration {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		b.Skipf("no /proc: %v", err)
	}
	// The fields after the command name, which is in parentheses.
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	utime, _ := strconv.Atoi(fields[11])
	stime, _ := strconv.Atoi(fields[12])
	return time.Duration(utime+stime) * 10 * time.Millisecond
}
