package main

import (
	"context"
	"os"
	"os/exec"
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
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		b.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return float64(kb) / 1024
		}
	}
	b.Fatal("no VmRSS")
	return 0
}
