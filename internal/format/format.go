// Package format implements `stagehand fmt`: it formats Dockerfiles on
// disk with the same formatter the language server uses.
package format

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/atomicfile"
	"github.com/stagehand-ls/stagehand/internal/check"
	"github.com/stagehand-ls/stagehand/internal/confined"
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
	opts := analysis.FormatOptions{Indent: *indent, Shell: *shell}
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
		edits := analysis.Format(ix, opts)
		switch {
		case *write:
			if len(edits) == 0 {
				continue
			}
			if err := atomicfile.Replace(path, []byte(analysis.ApplyEdits(text, edits))); err != nil {
				fmt.Fprintf(stderr, "stagehand fmt: %v\n", err)
				code = ExitUsage
			}
		case *diff:
			if len(edits) > 0 {
				io.WriteString(stdout, Diff(path, ix.Doc, edits))
				code = max(code, ExitChanged)
			}
		default:
			io.WriteString(stdout, analysis.ApplyEdits(text, edits))
		}
	}
	return code
}

// Diff renders edits of doc as a unified diff without context lines: each
// hunk replaces the whole lines the edits touch.
func Diff(path string, doc *analysis.Document, edits []analysis.Edit) string {
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s\n+++ %s (formatted)\n", path, path)
	delta := 0
	for i := 0; i < len(edits); {
		first := doc.LineOf(edits[i].Span.Start)
		last := doc.LineOf(edits[i].Span.End)
		j := i + 1
		for j < len(edits) && doc.LineOf(edits[j].Span.Start) <= last+1 {
			last = max(last, doc.LineOf(edits[j].Span.End))
			j++
		}
		start := doc.LineStart(first)
		end := doc.LineEnd(last)
		old := doc.Slice(analysis.Span{Start: start, End: end})
		shifted := make([]analysis.Edit, 0, j-i)
		for _, e := range edits[i:j] {
			shifted = append(shifted, analysis.Edit{Span: e.Span.Shift(-start), Text: e.Text})
		}
		oldLines := strings.Split(old, "\n")
		newLines := strings.Split(analysis.ApplyEdits(old, shifted), "\n")
		fmt.Fprintf(&b, "@@ -%d,%d +%d,%d @@\n", first+1, len(oldLines), first+1+delta, len(newLines))
		for _, l := range oldLines {
			fmt.Fprintf(&b, "-%s\n", strings.TrimSuffix(l, "\r"))
		}
		for _, l := range newLines {
			fmt.Fprintf(&b, "+%s\n", strings.TrimSuffix(l, "\r"))
		}
		delta += len(newLines) - len(oldLines)
		i = j
	}
	return b.String()
}
