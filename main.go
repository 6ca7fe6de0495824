// Command stagehand is a language server and checker for Dockerfiles.
//
//	stagehand [serve] [--stdio] [--log-file FILE] [--log-level LEVEL]
//	stagehand check [--format text|json|sarif|github] [--strict] [--targets a,b] [--rule Rule=level]... [--root DIR] [--no-workspace] [--verbose] [--fix [--diff]] PATH...
//	stagehand graph [--format mermaid|dot|json] [--target T]... [--root DIR] [--no-workspace] DOCKERFILE
//	stagehand fmt [-w|-d] [--indent N] [--shell] PATH...
//	stagehand version
//	stagehand help [COMMAND]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"syscall"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/stagehand-ls/stagehand/internal/check"
	"github.com/stagehand-ls/stagehand/internal/format"
	"github.com/stagehand-ls/stagehand/internal/graph"
	"github.com/stagehand-ls/stagehand/server"
)

// version and commit are set at link time, as tools/release/build.sh does:
// -ldflags "-X main.version=v1.2.3 -X main.commit=0123abc".
var version, commit string

func main() {
	os.Exit(run(os.Args[1:]))
}

// commands are the subcommands, in the order `stagehand --help` lists them.
var commands = []struct {
	name, summary string
	main          func(args []string, stdout, stderr io.Writer) int
}{
	{"serve", "serve the Language Server Protocol over stdin and stdout (the default)", serve},
	{"check", "report problems in Dockerfiles and directories; --fix applies the fixes", check.Main},
	{"graph", "print a Dockerfile's stages and what uses what (mermaid, dot or json)", graph.Main},
	{"fmt", "format Dockerfiles: print them, write them back (-w) or show a diff (-d)", format.Main},
	{"version", "print the version, the commit and the Go version it was built with", versionMain},
	{"help", "list the commands, or show a command's flags: stagehand help check", nil},
}

func run(args []string) int {
	cmd := "serve"
	if len(args) > 0 && (args[0] == "" || args[0][0] != '-') {
		cmd, args = args[0], args[1:]
	} else if wantsHelp(args) {
		usage(os.Stdout)
		return 0
	} else if len(args) == 1 && (args[0] == "--version" || args[0] == "-version") {
		cmd, args = "version", nil // as most tools take it, not serve's flag error
	}
	if cmd == "help" {
		if len(args) == 0 {
			usage(os.Stdout)
			return 0
		}
		cmd, args = args[0], []string{"-h"}
	}
	for _, c := range commands {
		if c.name != cmd {
			continue
		}
		if c.main == nil { // help
			usage(os.Stdout)
			return 0
		}
		if wantsHelp(args) {
			// Asked-for help goes to stdout with status 0.
			c.main([]string{"-h"}, os.Stdout, os.Stdout)
			return 0
		}
		return c.main(args, os.Stdout, os.Stderr)
	}
	fmt.Fprintf(os.Stderr, "stagehand: unknown command %q\n", cmd)
	usage(os.Stderr)
	return 2
}

// wantsHelp reports whether a help flag comes before the first "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

func usage(w io.Writer) {
	fmt.Fprint(w, "Stagehand, a language server and checker for Dockerfiles.\n\nusage: stagehand [COMMAND] [FLAGS] [ARGS]\n\ncommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun `stagehand COMMAND --help` for a command's flags.\n")
}

// versionMain prints the version (from -ldflags, else the module's version),
// the commit (from -ldflags, else the VCS stamp `go build` records in a git
// checkout) and the Go version and platform.
func versionMain(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("stagehand version", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: stagehand version\n\nPrints the version, the commit and the Go version stagehand was built with.")
	}
	if err := fl.Parse(args); err != nil || fl.NArg() > 0 {
		if err == nil {
			fl.Usage()
		}
		return 2
	}
	rev, when := getCommit()
	if when != "" {
		rev += " (" + when + ")"
	}
	fmt.Fprintf(stdout, "stagehand %s\ncommit: %s\ngo: %s %s/%s\n", getVersion(), rev, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return 0
}

func getVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// getCommit returns the commit and its time: from -ldflags, else from the
// build info's vcs.* settings ("-dirty" when the tree had changes), else
// "unknown" (a build outside a git checkout, or with -buildvcs=false).
func getCommit() (rev, when string) {
	if commit != "" {
		return commit, ""
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown", ""
	}
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "unknown", ""
	}
	if dirty {
		rev += "-dirty"
	}
	return rev, when
}

func serve(args []string, _, stderr io.Writer) int {
	fl := flag.NewFlagSet("stagehand serve", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: stagehand [serve] [--stdio] [--log-file FILE] [--log-level debug|info|warn|error]")
		fl.PrintDefaults()
	}
	fl.Bool("stdio", true, "serve over stdin and stdout (the only transport; accepted for editors that pass it)")
	logFile := fl.String("log-file", "", "write the log to `file` instead of stderr")
	logLevel := fl.String("log-level", "info", "log `level`: debug, info, warn or error")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "stagehand serve: unexpected arguments %q\n", fl.Args())
		return 2
	}
	logger, closeLog, err := newLogger(*logFile, *logLevel)
	if err != nil {
		fmt.Fprintf(os.Stderr, "stagehand serve: %v\n", err)
		return 2
	}
	exit := func(code int) {
		_ = logger.Sync()
		closeLog()
		os.Exit(code)
	}
	onBrokenOutput(func() {
		logger.Error("the client closed the server's output (broken pipe); exiting")
		exit(1)
	})
	srv := server.New(server.Config{Logger: logger, Exit: exit, Version: getVersion()})
	err = srv.Serve(context.Background(), newStdio())
	switch {
	case errors.Is(err, server.ErrNoShutdown):
		logger.Info("client went away without shutdown")
		exit(1)
	case err != nil:
		logger.Error("connection failed", zap.Error(err))
		exit(1)
	}
	exit(0)
	return 0
}

// newLogger logs at level to file, or to stderr: stdout carries the protocol.
func newLogger(file, level string) (*zap.Logger, func(), error) {
	lvl, err := zapcore.ParseLevel(level)
	if err != nil || lvl < zapcore.DebugLevel || lvl > zapcore.ErrorLevel {
		return nil, nil, fmt.Errorf("bad log level %q: want debug, info, warn or error", level)
	}
	out, closeOut := zapcore.Lock(os.Stderr), func() {}
	if file != "" {
		f, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, nil, err
		}
		out, closeOut = zapcore.Lock(f), func() { _ = f.Close() }
	}
	enc := zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig())
	return zap.New(zapcore.NewCore(enc, out, lvl)), closeOut, nil
}

// stdio is the server's end of the protocol channel.
type stdio struct {
	in  io.ReadCloser
	out io.Writer
}

// newStdio is the protocol's connection: stdin read through the poller
// where it is a pipe or socket (protocolInput), and stdout written so too
// (protocolOutput), both with raw system calls where Linux allows (rawIO).
func newStdio() stdio { return stdio{in: rawIO(protocolInput()), out: rawIO(protocolOutput())} }

func (c stdio) Read(p []byte) (int, error)  { return c.in.Read(p) }
func (c stdio) Write(p []byte) (int, error) { return c.out.Write(p) }
func (c stdio) Close() error                { return c.in.Close() }

// SyscallConn reaches stdout, whose pipe the server may widen.
func (c stdio) SyscallConn() (syscall.RawConn, error) {
	if sc, ok := c.out.(syscall.Conn); ok {
		return sc.SyscallConn()
	}
	return nil, errors.ErrUnsupported
}

var _ syscall.Conn = stdio{}
