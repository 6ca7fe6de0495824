// Command stagehand is a language server and checker for Dockerfiles.
//
//	stagehand [serve] [--stdio] [--log-file FILE] [--log-level LEVEL]
//	stagehand check [--format text|json|sarif] [--strict] [--targets a,b] [--rule Rule=level]... [--fix [--diff]] PATH...
//	stagehand graph [--format mermaid|dot|json] [--target T]... DOCKERFILE
//	stagehand fmt [-w|-d] [--indent N] [--shell] PATH...
//	stagehand version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/stagehand-ls/stagehand/internal/check"
	"github.com/stagehand-ls/stagehand/internal/format"
	"github.com/stagehand-ls/stagehand/internal/graph"
	"github.com/stagehand-ls/stagehand/server"
)

// version is set at link time with -ldflags "-X main.version=v1.2.3".
var version = ""

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	cmd := "serve"
	if len(args) > 0 && (args[0] == "" || args[0][0] != '-') {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(args)
	case "check":
		return check.Main(args, os.Stdout, os.Stderr)
	case "fmt":
		return format.Main(args, os.Stdout, os.Stderr)
	case "graph":
		return graph.Main(args, os.Stdout, os.Stderr)
	case "version":
		fmt.Println("stagehand", getVersion())
		return 0
	case "help":
		usage(os.Stdout)
		return 0
	}
	fmt.Fprintf(os.Stderr, "stagehand: unknown command %q\n", cmd)
	usage(os.Stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage:
  stagehand [serve] [--stdio] [--log-file FILE] [--log-level debug|info|warn|error]
      serve the Language Server Protocol over stdin and stdout
  stagehand check [--format text|json|sarif] [--strict] [--targets a,b] [--rule Rule=level]... [--fix [--diff]] PATH...
      report problems in Dockerfiles (directories are searched); --fix applies
      the preferred fixes, --fix --diff prints them as a unified diff
  stagehand graph [--format mermaid|dot|json] [--target T]... DOCKERFILE
      print the stages and what uses what, marking targets and unused stages
  stagehand fmt [-w|-d] [--indent N] [--shell] PATH...
      format Dockerfiles: print them, write them back (-w) or show a diff (-d);
      --shell also formats RUN scripts with the shell printer
  stagehand version
`)
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

func serve(args []string) int {
	fl := flag.NewFlagSet("stagehand serve", flag.ContinueOnError)
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
	srv := server.New(server.Config{Logger: logger, Exit: exit, Version: getVersion()})
	err = srv.Serve(context.Background(), stdio{})
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
type stdio struct{}

func (stdio) Read(p []byte) (int, error)  { return os.Stdin.Read(p) }
func (stdio) Write(p []byte) (int, error) { return os.Stdout.Write(p) }
func (stdio) Close() error                { return os.Stdin.Close() }
