// Package testgen makes inputs for tests and benchmarks.
package testgen

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// Large writes a Dockerfile of n stages, each of about 20 lines,
// with the references, continuations and heredocs real files have.
func Large(n int) string {
	var b strings.Builder
	b.WriteString("# syntax=docker/dockerfile:1\nARG BASE=alpine:3.20\nARG VERSION=1.0\n")
	for i := 0; i < n; i++ {
		base := "${BASE}"
		if i > 0 && i%3 != 0 {
			base = fmt.Sprintf("stage-%d", i-1)
		}
		fmt.Fprintf(&b, "\n# stage %d builds part %d\nFROM %s AS stage-%d\n", i, i, base, i)
		b.WriteString("ARG VERSION\nENV APP_VERSION=${VERSION} PATH=/opt/bin:$PATH\nWORKDIR /src\n")
		b.WriteString("COPY go.mod go.sum ./\nRUN --mount=type=cache,target=/root/.cache/go-build \\\n    go mod download\n")
		if i > 0 {
			fmt.Fprintf(&b, "COPY --from=stage-%d /out/bin /opt/bin\n", i-1)
			fmt.Fprintf(&b, "RUN --mount=type=bind,from=stage-%d,source=/src,target=/prev \\\n    cp -r /prev /src/prev\n", i-1)
		} else {
			b.WriteString("COPY . .\nRUN apk add --no-cache git \\\n    make\n")
		}
		b.WriteString("RUN <<EOF\nset -e\nmake build\nEOF\n")
		b.WriteString("LABEL org.opencontainers.image.title=\"part\" \\\n      org.opencontainers.image.version=\"${VERSION}\"\n")
		b.WriteString("EXPOSE 8080/tcp\nUSER 1000:1000\nENTRYPOINT [\"/opt/bin/app\"]\n")
	}
	return b.String()
}

// CorpusDir returns the folder of the shared corpus of real Dockerfiles,
// which stands beside the repository as ../shared/corpus/files: found
// above the working directory, or, for a test binary run from elsewhere,
// above this source file.
func CorpusDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	corpus, err := corpusAbove(dir)
	if err == nil {
		return corpus, nil
	}
	if _, self, _, ok := runtime.Caller(0); ok {
		if c, err2 := corpusAbove(filepath.Dir(self)); err2 == nil {
			return c, nil
		}
	}
	return "", err
}

// corpusAbove is CorpusDir from the repository that holds dir.
func corpusAbove(dir string) (string, error) {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			corpus := filepath.Join(dir, "..", "shared", "corpus", "files")
			if _, err := os.Stat(corpus); err != nil {
				return "", err
			}
			return corpus, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// CorpusText returns the text of the corpus file of that name; where it
// is absent it says so in tb's log and returns false, so that a benchmark
// row left out is seen to be.
func CorpusText(tb testing.TB, name string) (string, bool) {
	tb.Helper()
	dir, err := CorpusDir()
	if err == nil {
		var b []byte
		if b, err = os.ReadFile(filepath.Join(dir, name)); err == nil {
			return string(b), true
		}
	}
	tb.Logf("corpus file %s left out: %v", name, err)
	return "", false
}

// Missing stops a test whose input is absent: it skips on a developer's
// machine, but fails in CI (where CI is set), so a missing corpus or tool
// can never turn a CI run green by running nothing.
func Missing(tb testing.TB, format string, args ...any) {
	tb.Helper()
	if os.Getenv("CI") != "" {
		tb.Fatalf(format+" (CI is set, so this fails instead of skipping)", args...)
	}
	tb.Skipf(format, args...)
}

// RequireCorpus returns the corpus folder, or stops the test through
// Missing where it is absent.
func RequireCorpus(tb testing.TB) string {
	tb.Helper()
	dir, err := CorpusDir()
	if err != nil {
		Missing(tb, "corpus not found: %v", err)
	}
	return dir
}

// Corpus returns every corpus file's text by name, or stops the test
// through Missing where the corpus is absent.
func Corpus(tb testing.TB) map[string]string {
	tb.Helper()
	dir := RequireCorpus(tb)
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	files := make(map[string]string, len(entries))
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return files
}

// Sample returns the corpus, or under the race detector one file in ten
// (the corpus tests run nothing concurrently for the detector to check).
func Sample(tb testing.TB) map[string]string {
	tb.Helper()
	corpus := Corpus(tb)
	if !Race {
		return corpus
	}
	names := slices.Sorted(maps.Keys(corpus))
	out := map[string]string{}
	for i := 0; i < len(names); i += 10 {
		out[names[i]] = corpus[names[i]]
	}
	return out
}

// ArgPattern derives from text, a Dockerfile ending in a newline whose
// first FROM is at offset at, one whose stage pick (a stage's name) is
// also named through global ARGs: FROM ${PICK}, and FROM ${ARCHPICK},
// which depends on the platform and names a stage only on arm64.
func ArgPattern(text string, at int, pick string) string {
	return text[:at] + "ARG PICK=" + pick + "\nARG ARCHPICK=" + pick + "-${TARGETARCH}\n" + text[at:] +
		"FROM alpine AS " + pick + "-arm64\nFROM ${PICK} AS zz-picked\nFROM ${ARCHPICK}\nCOPY --from=zz-picked / /\n"
}

// Trues returns the indexes of the true elements of b, as a set of
// stages reads in a test's message.
func Trues(b []bool) []int {
	var out []int
	for i, ok := range b {
		if ok {
			out = append(out, i)
		}
	}
	return out
}

// Patch applies diff with patch(1) -p1 in dir and returns the text of
// dir/name afterwards; it fails the test when patch rejects the diff.
func Patch(tb testing.TB, dir, name, diff string) string {
	tb.Helper()
	if _, err := exec.LookPath("patch"); err != nil {
		Missing(tb, "patch not installed")
	}
	cmd := exec.Command("patch", "-s", "-p1", "-d", dir)
	cmd.Stdin = strings.NewReader(diff)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("patch: %v: %s\n%s", err, out, diff)
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// MapFS builds a file tree from "path" or "path=content" items, for build
// contexts in tests.
func MapFS(files ...string) fstest.MapFS {
	m := fstest.MapFS{}
	for _, f := range files {
		name, data, _ := strings.Cut(f, "=")
		m[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return m
}
