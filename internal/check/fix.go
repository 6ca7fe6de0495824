package check

import (
	"flag"
	"fmt"
	"io"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/codeaction"
	"github.com/stagehand-ls/stagehand/internal/atomicfile"
	"github.com/stagehand-ls/stagehand/internal/textdiff"
)

// fixer applies the preferred fixes of `stagehand check --fix`: it
// rewrites each file, or with --diff prints a unified diff instead.
type fixer struct {
	fix, diff *bool
}

func fixFlags(fl *flag.FlagSet) *fixer {
	return &fixer{
		fix:  fl.Bool("fix", false, "apply the preferred fix of every finding that has one, rewriting the files"),
		diff: fl.Bool("diff", false, "with --fix, print the fixes as a unified diff instead of rewriting the files"),
	}
}

// maxFixRounds bounds how often fixing starts again on the fixed text, for
// fixes that overlapped in an earlier round.
const maxFixRounds = 8

// Fix returns text with the preferred fixes of its findings applied, and
// the number of fixes taken. Every round keeps a text BuildKit parses: a
// round whose result does not is dropped.
func Fix(text string, cfg *rules.Config) (string, int) {
	fixed, n, _ := fix(text, cfg)
	return fixed, n
}

// checked is a text with the diagnostics rules.Run gives for it.
type checked struct {
	doc   *analysis.Document
	diags []rules.Diagnostic
}

// fix is Fix, also returning the diagnostics of the text it returns when
// it ran the rules on that text last (nil otherwise), so that the text
// need not be parsed and checked again.
func fix(text string, cfg *rules.Config) (string, int, *checked) {
	total := 0
	var last *checked
	for round := 0; round < maxFixRounds; round++ {
		doc := analysis.NewDocument(text)
		ix := analysis.Parse(doc)
		if ix.ParseError != nil {
			last = nil
			break
		}
		diags := rules.Run(ix, cfg)
		last = &checked{doc, diags}
		edits, n := codeaction.FixAll(codeaction.FromRules(diags))
		if n == 0 {
			break
		}
		fixed, err := codeaction.Apply(doc, edits)
		if err != nil {
			break
		}
		if after := analysis.Parse(analysis.NewDocument(fixed)); after.ParseError != nil || len(after.Errors()) > len(ix.Errors()) {
			break
		}
		text, total, last = fixed, total+n, nil
	}
	return text, total, last
}

// run fixes text, the content of path, when --fix is set, and returns the
// text the findings are then reported on, with its diagnostics when the
// fixing already has them (nil otherwise). The file is replaced whole or
// not at all; the error of a failed write is returned with the original
// text.
func (f *fixer) run(path string, text []byte, cfg *rules.Config, stdout, stderr io.Writer) ([]byte, *checked, error) {
	if !*f.fix {
		return text, nil, nil
	}
	fixed, n, last := fix(string(text), cfg)
	if n == 0 {
		return text, last, nil
	}
	if *f.diff {
		fmt.Fprint(stdout, textdiff.Unified(path, string(text), fixed))
		return []byte(fixed), last, nil
	}
	if err := atomicfile.Replace(path, []byte(fixed)); err != nil {
		return text, nil, err
	}
	fmt.Fprintf(stderr, "stagehand check: %s: applied %d fixes\n", path, n)
	return []byte(fixed), last, nil
}

// quiet reports whether findings stay off stdout, which holds the diff.
func (f *fixer) quiet() bool { return *f.fix && *f.diff }
