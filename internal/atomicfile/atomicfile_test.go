//go:build unix

package atomicfile_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stagehand-ls/stagehand/internal/atomicfile"
	"github.com/stagehand-ls/stagehand/internal/check"
	"github.com/stagehand-ls/stagehand/internal/format"
)

// helperEnv, when set, makes the test binary run a command (fmt or check)
// with the arguments in helperArgs, under a file-size limit of
// helperLimit bytes, with SIGXFSZ ignored so that a write past it fails
// with EFBIG instead of killing the process.
const (
	helperEnv   = "ATOMICFILE_HELPER"
	helperArgs  = "ATOMICFILE_ARGS"
	helperLimit = 4096
)

func TestMain(m *testing.M) {
	if cmd := os.Getenv(helperEnv); cmd != "" {
		signal.Ignore(syscall.SIGXFSZ)
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: helperLimit, Max: helperLimit}); err != nil {
			fmt.Fprintln(os.Stderr, "setrlimit:", err)
			os.Exit(100)
		}
		os.Exit(run(cmd, strings.Split(os.Getenv(helperArgs), "\n"), os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func run(cmd string, args []string, stdout, stderr io.Writer) int {
	switch cmd {
	case "fmt":
		return format.Main(args, stdout, stderr)
	case "check":
		return check.Main(args, stdout, stderr)
	}
	return 100
}

// messy is a Dockerfile of about 80 kB that both fmt and check --fix
// change: doubled blanks after keywords, one keyword in lower case.
func messy(eol string) string {
	var b strings.Builder
	b.WriteString("\ufeffFROM alpine AS base" + eol)
	for i := range 4000 {
		fmt.Fprintf(&b, "RUN  echo step %d%s", i, eol)
	}
	b.WriteString("run echo last" + eol)
	return b.String()
}

func TestReplace(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(p, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o751); err != nil {
		t.Fatal(err)
	}
	if err := atomicfile.Replace(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(p)
	info, serr := os.Stat(p)
	if err != nil || serr != nil || string(got) != "new" || info.Mode().Perm() != 0o751 {
		t.Errorf("after Replace: %q %v, mode %v (%v); want \"new\", mode 0751", got, err, info.Mode(), serr)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files after Replace, want 1 (no temporary file left)", len(entries))
	}
}

// TestSymlinkRefused: a link given as the file is not rewritten, and
// neither is its target.
func TestSymlinkRefused(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real")
	link := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(target, []byte(messy("\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real", link); err != nil {
		t.Fatal(err)
	}
	err := atomicfile.Replace(link, []byte("new"))
	if err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("Replace(link) = %v, want a refusal", err)
	}
	var stderr bytes.Buffer
	if code := format.Main([]string{"-w", link}, io.Discard, &stderr); code == 0 || !strings.Contains(stderr.String(), "symbolic link") {
		t.Errorf("fmt -w on a link: exit %d, %q; want an error naming the link", code, stderr.String())
	}
	if got, _ := os.ReadFile(target); string(got) != messy("\n") {
		t.Errorf("the link's target was rewritten")
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link is no longer a link: %v %v", info.Mode(), err)
	}
}

// TestKeepEncoding: fmt -w and check --fix keep the byte order mark, the
// CRLF line endings and the mode.
func TestKeepEncoding(t *testing.T) {
	for _, cmd := range [][]string{{"fmt", "-w"}, {"check", "--fix"}} {
		p := filepath.Join(t.TempDir(), "Dockerfile")
		if err := os.WriteFile(p, []byte(messy("\r\n")), 0o600); err != nil {
			t.Fatal(err)
		}
		if code := run(cmd[0], []string{cmd[1], p}, io.Discard, io.Discard); code != 0 {
			t.Errorf("%s: exit %d", cmd, code)
		}
		got, _ := os.ReadFile(p)
		info, _ := os.Stat(p)
		switch {
		case string(got) == messy("\r\n"):
			t.Errorf("%s changed nothing", cmd)
		case !bytes.HasPrefix(got, []byte("\ufeff")):
			t.Errorf("%s lost the byte order mark", cmd)
		case bytes.Count(got, []byte("\n")) != bytes.Count(got, []byte("\r\n")):
			t.Errorf("%s wrote bare LF line endings", cmd)
		case info.Mode().Perm() != 0o600:
			t.Errorf("%s changed the mode to %v", cmd, info.Mode())
		}
	}
}

// TestWriteUnderFileSizeLimit runs fmt -w and check --fix in a process
// that may not write files past 4 kB: the write of the 80 kB result
// fails, the command exits non-zero, and the original is intact, with no
// temporary file left beside it.
func TestWriteUnderFileSizeLimit(t *testing.T) {
	for _, cmd := range [][]string{{"fmt", "-w"}, {"check", "--fix"}} {
		dir := t.TempDir()
		p := filepath.Join(dir, "Dockerfile")
		orig := messy("\n")
		if err := os.WriteFile(p, []byte(orig), 0o644); err != nil {
			t.Fatal(err)
		}
		c := exec.Command(os.Args[0], "-test.run=^$")
		c.Env = append(os.Environ(), helperEnv+"="+cmd[0], helperArgs+"="+cmd[1]+"\n"+p)
		var stderr bytes.Buffer
		c.Stderr = &stderr
		err := c.Run()
		code := c.ProcessState.ExitCode()
		if code <= 0 || code == 100 {
			t.Errorf("%s under a file-size limit: exit %d (%v), want a write error; stderr:\n%s", cmd, code, err, stderr.String())
		}
		if !strings.Contains(stderr.String(), "file too large") {
			t.Errorf("%s: exit %d (%v), stderr does not report the failed write:\n%s", cmd, code, err, stderr.String())
		}
		if got, _ := os.ReadFile(p); string(got) != orig {
			t.Errorf("%s: the original was changed: %d of %d bytes", cmd, len(got), len(orig))
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("%s: %d files left in the folder, want 1", cmd, len(entries))
		}
	}
}
