package analysis

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"mvdan.cc/sh/v3/syntax"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// oldReadInstalls and oldReadShellCommands are the two readers of a RUN's
// script as they were before they shared one parse: each reads the RUN and
// parses its script on its own.
func (ix *Index) oldReadInstalls(i int) ([]Install, []SimpleCommand, bool) {
	rs, ok := ix.runScript(i)
	if !ok {
		return nil, nil, false
	}
	cmds, ok := ScriptCommands(rs.Script, rs.Bash)
	if !ok {
		return nil, nil, false
	}
	var out []Install
	for _, c := range cmds {
		if in, ok := RecognizeInstall(c.Words); ok {
			out = append(out, in)
		}
	}
	return out, cmds, true
}

func (ix *Index) oldReadShellCommands(n Node) []SimpleCommand {
	rs, ok := ix.readRun(n.Index)
	switch {
	case !ok:
		return nil
	case rs.Argv != nil:
		return []SimpleCommand{{Words: rs.Argv}}
	}
	f, err := parseScript(rs.Script, true, false)
	if err != nil {
		return nil
	}
	out := []SimpleCommand{}
	syntax.Walk(f, func(node syntax.Node) bool {
		call, ok := node.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		c := SimpleCommand{}
		for _, a := range call.Assigns {
			if a.Name != nil {
				c.Assigns = append(c.Assigns, a.Name.Value+"="+wordText(a.Value))
			}
		}
		for _, w := range call.Args {
			c.Words = append(c.Words, wordText(w))
		}
		for len(c.Words) > 1 && (c.Words[0] == "sudo" || c.Words[0] == "env" || c.Words[0] == "exec") {
			c.Words = c.Words[1:]
			for len(c.Words) > 1 && (strings.HasPrefix(c.Words[0], "-") || strings.Contains(c.Words[0], "=")) {
				c.Words = c.Words[1:]
			}
		}
		out = append(out, c)
		return true
	})
	return out
}

var fromLine = regexp.MustCompile(`(?im)^([ \t]*FROM[ \t][^\n\\]*)$`)

// TestRunReadersShareParse holds the memoized readers of RUN scripts, which
// share one bash parse where both read bash, to the two readers as they
// were, over every RUN of the corpus, and of the corpus with a bash SHELL
// after every FROM, asking in both orders.
func TestRunReadersShareParse(t *testing.T) {
	runs, shared := 0, 0
	for name, text := range testgen.Sample(t) {
		bashed := fromLine.ReplaceAllString(text, "$1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]")
		for _, src := range []string{text, bashed} {
			ref := Parse(NewDocument(src))
			for order := range 2 {
				ix := Parse(NewDocument(src))
				for i := range ix.Len() {
					n := ix.Node(i)
					if n.Cmd != "run" {
						continue
					}
					if order == 0 {
						runs++
						if ix.parseRun(i).shared() {
							shared++
						}
					}
					var cmds []SimpleCommand
					var ins []Install
					var icmds []SimpleCommand
					var ok bool
					if order == 0 {
						cmds = ix.ShellCommands(n)
						ins, icmds, ok = ix.installsOf(i)
					} else {
						ins, icmds, ok = ix.installsOf(i)
						cmds = ix.ShellCommands(n)
					}
					wantIns, wantICmds, wantOK := ref.oldReadInstalls(i)
					if d := cmp.Diff(ref.oldReadShellCommands(ref.Node(i)), cmds, sinceOldReaders); d != "" {
						t.Fatalf("%s node %d: ShellCommands (-old +new):\n%s", name, i, d)
					}
					if ok != wantOK {
						t.Fatalf("%s node %d: installsOf ok %v, was %v", name, i, ok, wantOK)
					}
					if d := cmp.Diff(wantIns, ins); d != "" {
						t.Fatalf("%s node %d: installs (-old +new):\n%s", name, i, d)
					}
					if d := cmp.Diff(wantICmds, icmds, sinceOldReaders); d != "" {
						t.Fatalf("%s node %d: install commands (-old +new):\n%s", name, i, d)
					}
				}
			}
		}
	}
	t.Logf("%d RUNs, %d read as bash by both readers", runs, shared)
	if runs < 300 || shared < runs/4 {
		t.Fatalf("%d RUNs, %d shared: the corpus should give more of both", runs, shared)
	}
}

// sinceOldReaders leaves out what the readers learnt after the old ones
// were kept here: which assignments read a variable (TestScriptCommandsComputedAssigns).
var sinceOldReaders = cmpopts.IgnoreFields(SimpleCommand{}, "Computed")
