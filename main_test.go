package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// buildStagehand builds the command once per test binary.
func buildStagehand(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "stagehand")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// pipes joins a child's stdout and stdin into the client's stream.
type pipes struct {
	io.ReadCloser
	io.WriteCloser
}

func (p pipes) Close() error {
	return errors.Join(p.WriteCloser.Close(), p.ReadCloser.Close())
}

func TestCommand(t *testing.T) {
	bin := buildStagehand(t)

	t.Run("version", func(t *testing.T) {
		out, err := exec.Command(bin, "version").Output()
		if err != nil || !strings.HasPrefix(string(out), "stagehand ") {
			t.Errorf("version: %q, %v", out, err)
		}
	})

	t.Run("check", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM alpine\nRUNN x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "check", dir)
		out, err := cmd.Output()
		if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(out), "Dockerfile:2:1: error: ") {
			t.Errorf("check: exit %d, %q, %v", cmd.ProcessState.ExitCode(), out, err)
		}
		if code := exec.Command(bin, "check").Run(); code == nil {
			t.Errorf("check without paths succeeded")
		}
	})

	for _, tc := range []struct {
		name     string
		shutdown bool
		want     int
		garbage  string // written first
	}{
		{"serve", true, 0, ""},
		{"serve without shutdown", false, 1, ""},
		// The process survives bad frames and bad cancels, and answers
		// what follows them.
		{"serve after malformed input", true, 0, "Content-Length: -1\r\n\r\n{}no header\r\n\r\n" +
			"Content-Length: 8\r\n\r\n{\"x\":1}}" + "Content-Length: 56\r\n\r\n" +
			`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{}}` +
			"Content-Length: 64\r\n\r\n" + `{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1.5}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			cmd := exec.Command(bin, "serve", "--stdio", "--log-level", "debug")
			cmd.Stderr = &stderr
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if _, err := io.WriteString(stdin, tc.garbage); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			conn := jsonrpc2.NewConn(jsonrpc2.NewHeaderStream(pipes{stdout, stdin}))
			conn.Go(ctx, jsonrpc2.MethodNotFoundHandler)
			var res map[string]any
			if _, err := conn.Call(ctx, protocol.MethodInitialize, map[string]any{"capabilities": map[string]any{}}, &res); err != nil {
				t.Fatalf("initialize: %v (stderr %s)", err, stderr.String())
			}
			if tc.shutdown {
				if _, err := conn.Call(ctx, protocol.MethodShutdown, nil, nil); err != nil {
					t.Fatalf("shutdown: %v", err)
				}
			}
			if err := conn.Notify(ctx, protocol.MethodExit, nil); err != nil {
				t.Fatal(err)
			}
			err = cmd.Wait()
			if got := cmd.ProcessState.ExitCode(); got != tc.want {
				t.Errorf("exit code %d, want %d (%v)", got, tc.want, err)
			}
			if !strings.Contains(stderr.String(), "initialized") {
				t.Errorf("the log did not go to stderr: %q", stderr.String())
			}
			_ = conn.Close()
		})
	}
}
