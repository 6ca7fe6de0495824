package check

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis/workspace"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// genTree writes a repository of 10 files per service (1,000 services:
// 10,000 files), each service a
// folder with a multi-stage Dockerfile and nine other files (sources,
// docs), every fourth with a compose.yaml naming a stage and every fourth
// with a Makefile building one.
func genTree(tb testing.TB, root string, services int) {
	tb.Helper()
	write := func(name, text string) {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	write(".git/HEAD", "ref: refs/heads/main\n")
	for i := range services {
		dir := fmt.Sprintf("services/s%03d", i)
		write(dir+"/Dockerfile", fmt.Sprintf(`# syntax=docker/dockerfile:1
ARG GO_VERSION=1.26
FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/root/.cache/go-build go mod download
COPY . .
RUN go build -o /out/app%d ./cmd/app

FROM build AS test
RUN go test ./...

FROM alpine:3.20 AS debug
COPY --from=build /out/app%d /usr/bin/app
ENTRYPOINT ["/usr/bin/app"]

FROM gcr.io/distroless/static AS release
COPY --from=build /out/app%d /app
USER nonroot
ENTRYPOINT ["/app"]
`, i, i, i))
		others := []string{"main.go", "main_test.go", "README.md", "go.mod", "go.sum", "cmd/app/main.go", "internal/a.go", "internal/b.go", "docs/index.md"}
		switch i % 4 {
		case 0:
			others[len(others)-1] = "compose.yaml"
			write(dir+"/compose.yaml", "services:\n  app:\n    build:\n      context: .\n      target: debug\n")
		case 1:
			others[len(others)-1] = "Makefile"
			write(dir+"/Makefile", "PLATFORMS ?= linux/amd64\ntest:\n\tdocker buildx build --platform $(PLATFORMS) --target test .\n")
		}
		for _, o := range others[:len(others)-1] {
			write(dir+"/"+o, "package main\n\n// "+o+"\nfunc main() {}\n")
		}
		if i%4 > 1 {
			write(dir+"/"+others[len(others)-1], "# docs\n")
		}
	}
}

var (
	treeOnce sync.Once
	treeDir  string
)

// benchTree generates the tree once per test binary.
func benchTree(b *testing.B) string {
	treeOnce.Do(func() {
		dir, err := os.MkdirTemp("", "stagehand-tree")
		if err != nil {
			b.Fatal(err)
		}
		genTree(b, dir, 1000)
		treeDir = dir
	})
	return treeDir
}

func TestGenTree(t *testing.T) {
	root := t.TempDir()
	genTree(t, root, 100)
	files, dockerfiles := 0, 0
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Base(filepath.Dir(p)) != ".git" {
			files++
			if workspace.IsDockerfile(p) {
				dockerfiles++
			}
		}
		return nil
	})
	if files != 1_000 || dockerfiles != 100 {
		t.Errorf("generated %d files, %d Dockerfiles; want 1,000 and 100", files, dockerfiles)
	}
	var stdout, stderr bytes.Buffer
	Main([]string{root}, &stdout, &stderr)
	// release is the last stage; debug, test are built by every fourth
	// service's Compose file or Makefile: 100 + 50 UnusedStage hints.
	if n := bytes.Count(stdout.Bytes(), []byte("[UnusedStage]")); n != 150 {
		t.Errorf("%d UnusedStage findings, want 150\n%s", n, stderr.String())
	}
}

// measure runs fn in the benchmark loop and reports, besides the wall time
// (which on a busy machine waits for cores), the CPU time it used.
func measure(b *testing.B, fn func()) {
	benchTree(b)
	b.ReportAllocs()
	b.ResetTimer()
	start := testgen.CPUTime()
	for b.Loop() {
		fn()
	}
	testgen.ReportCPU(b, start)
}

// BenchmarkCheckTree is `stagehand check` over the generated tree, the
// project scan included.
func BenchmarkCheckTree(b *testing.B) {
	root := benchTree(b)
	measure(b, func() { Main([]string{"--format=json", root}, io.Discard, io.Discard) })
}

// BenchmarkCheckTreeNoWorkspace checks the same files without the project.
func BenchmarkCheckTreeNoWorkspace(b *testing.B) {
	root := benchTree(b)
	measure(b, func() { Main([]string{"--no-workspace", "--format=json", root}, io.Discard, io.Discard) })
}

// BenchmarkScanTree is the project scan alone.
func BenchmarkScanTree(b *testing.B) {
	root := benchTree(b)
	measure(b, func() {
		ix := workspace.LoadProject([]string{root}).Scan(workspace.DefaultLimits)
		if len(ix.Dockerfiles) != 1000 {
			b.Fatalf("%d Dockerfiles", len(ix.Dockerfiles))
		}
	})
}

// BenchmarkCheckTreeProcess runs the command as a process and reports its
// peak resident memory.
func BenchmarkCheckTreeProcess(b *testing.B) {
	root := benchTree(b)
	bin := filepath.Join(b.TempDir(), "stagehand")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/stagehand-ls/stagehand").CombinedOutput(); err != nil {
		b.Fatalf("%v\n%s", err, out)
	}
	var rss int64
	for b.Loop() {
		cmd := exec.Command(bin, "check", "--format=json", root)
		_ = cmd.Run() // findings exit 1
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = max(rss, ru.Maxrss)
		}
	}
	b.ReportMetric(float64(rss)/1024, "peak-RSS-MB")
}

// BenchmarkCheckCorpus is `stagehand check` over every file of the shared
// corpus, named on the command line, as one process does it on all its
// cores; it reports files per second of wall time and CPU time per file.
func BenchmarkCheckCorpus(b *testing.B) {
	dir := testgen.RequireCorpus(b)
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	args := []string{"--format=text"}
	for _, e := range entries {
		args = append(args, filepath.Join(dir, e.Name()))
	}
	files := len(args) - 1
	b.ReportAllocs()
	start := testgen.CPUTime()
	for b.Loop() {
		Main(args, io.Discard, io.Discard)
	}
	b.ReportMetric(float64(files*b.N)/b.Elapsed().Seconds(), "files/s")
	b.ReportMetric(float64(testgen.CPUTime()-start)/1e3/float64(b.N*files), "cpu-µs/file")
}
