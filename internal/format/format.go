// Package format implements `stagehand fmt`: it formats Dockerfiles on
// disk with the same formatter the language server uses.
package format

import (
	"flag"
	"fmt"
	"io"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/features"
	"github.com/stagehand-ls/stagehand/internal/atomicfile"
	"github.com/stagehand-ls/stagehand/internal/check"
	"github.com/stagehand-ls/stagehand/internal/confined"
	"github.com/stagehand-ls/stagehand/internal/textdiff"
)

// Exit codes of Main.
const (
	ExitOK      = 0 // formatted (with -d: nothing to change)
	ExitChanged = 1 // with -d: some file is not formatted
	ExitUsage   = 2 // bad arguments, unreadable or unwritable files
)

// Main runs `stagehand fmt [-w|-d] [--indent N] [--shell] PATH...`. Without -w or
// -d it prints each formatted file to stdout. A file BuildKit cannot parse
// is reported and left alone.
func Main(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("stagehand fmt", flag.ContinueOnError)
	fl.SetOutput(stderr)
	write := fl.Bool("w", false, "write the result back to the files")
	diff := fl.Bool("d", false, "print the changes as a diff and exit 1 when there are any")
	indent := fl.Int("indent", 0, "indentation `width` of continuation lines (default: the file's own, else 4)")
	shell := fl.Bool("shell", false, "also format RUN scripts with the shell printer (mvdan.cc/sh), where BuildKit reads the same program")
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	if fl.NArg() == 0 || (*write && *diff) {
		fmt.Fprintln(stderr, "usage: stagehand fmt [-w|-d] [--indent N] [--shell] PATH...")
		return ExitUsage
	}
	files, err := check.Files(fl.Args())
	code := ExitOK
	if err != nil {
		fmt.Fprintf(stderr, "stagehand fmt: %v\n", err)
		code = ExitUsage
	}
	opts := features.FormatOptions{Indent: *indent, Shell: *shell}
	for _, path := range files {
		data, err := confined.ReadPath(path, confined.Limit)
		if err != nil {
			fmt.Fprintf(stderr, "stagehand fmt: %v\n", err)
			code = ExitUsage
			continue
		}
		text := string(data)
		ix := analysis.Parse(analysis.NewDocument(text))
		if ix.ParseError != nil {
			fmt.Fprintf(stderr, "stagehand fmt: %s: not formatted: %s\n", path, ix.ParseError.Message)
			code = ExitUsage
			continue
		}
		formatted, err := analysis.ApplyEdits(text, features.Format(ix, opts))
		if err != nil {
			fmt.Fprintf(stderr, "stagehand fmt: %s: not formatted: %v\n", path, err)
			code = ExitUsage
			continue
		}
		switch {
		case *write:
			if formatted == text {
				continue
			}
			if err := atomicfile.Replace(path, []byte(formatted)); err != nil {
				fmt.Fprintf(stderr, "stagehand fmt: %v\n", err)
				code = ExitUsage
			}
		case *diff:
			if formatted != text {
				io.WriteString(stdout, textdiff.Unified(path, text, formatted))
				code = max(code, ExitChanged)
			}
		default:
			io.WriteString(stdout, formatted)
		}
	}
	return code
}
