package analysis

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

func TestShellCommands(t *testing.T) {
	tests := []struct {
		run  string
		want [][]string
	}{
		{"RUN apt-get update && apt-get install -y \\\n    gcc \\\n    # a comment line\n    make && rm -rf /var/lib/apt/lists/*",
			[][]string{{"apt-get", "update"}, {"apt-get", "install", "-y", "gcc", "make"}, {"rm", "-rf", "/var/lib/apt/lists/*"}}},
		{"RUN DEBIAN_FRONTEND=noninteractive sudo -E apt-get install -y \"git\" 'curl' $PKG",
			[][]string{{"apt-get", "install", "-y", "git", "curl", "$PKG"}}},
		{`RUN ["npm", "ci"]`, [][]string{{"npm", "ci"}}},
		{`RUN ["/bin/sh", "-c", "pip install -r requirements.txt; echo done"]`,
			[][]string{{"pip", "install", "-r", "requirements.txt"}, {"echo", "done"}}},
		{"RUN <<EOF\nset -e\nnpm ci\nEOF", [][]string{{"set", "-e"}, {"npm", "ci"}}},
		{"RUN python3 <<EOF\nprint(1)\nEOF", [][]string{{"python3"}}},
		{"RUN if [ -f x ]; then make install; fi", [][]string{{"[", "-f", "x", "]"}, {"make", "install"}}},
		{"RUN echo $(uname -m)", [][]string{{"echo", ""}, {"uname", "-m"}}},
		{"RUN echo 'unterminated", nil},
		{"RUN export A=1", [][]string{}},
	}
	for _, tt := range tests {
		ix := Parse(NewDocument("FROM alpine\n" + tt.run + "\n"))
		var got [][]string
		if cmds := ix.ShellCommands(ix.Node(1)); cmds != nil {
			got = [][]string{}
			for _, c := range cmds {
				got = append(got, c.Words)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.run, diff)
		}
	}
}

// TestShellCommandsCorpus reads every RUN of the corpus: the parser must
// accept nearly all of them.
func TestShellCommandsCorpus(t *testing.T) {
	runs, failed := 0, 0
	for name, text := range testgen.Corpus(t) {
		ix := Parse(NewDocument(text))
		if ix.Escape != '\\' {
			continue
		}
		for i := range ix.Len() {
			n := ix.Node(i)
			if n.Cmd != "run" || len(n.Args) == 0 {
				continue
			}
			runs++
			if ix.ShellCommands(n) == nil {
				failed++
				if testing.Verbose() {
					t.Logf("%s:%d: %s", name, ix.Doc.LineOf(n.Start)+1, strings.SplitN(ix.Doc.Slice(n.Span()), "\n", 2)[0])
				}
			}
		}
	}
	t.Logf("%d RUN instructions, %d not read", runs, failed)
	if runs == 0 || failed*50 > runs {
		t.Errorf("%d of %d RUN instructions not read", failed, runs)
	}
}

// TestStageShellMatchesWalk checks stageShell's search over the index's
// SHELLs against a walk back over the stage, on the corpus and on SHELLs
// in both forms, empty, in an earlier stage and before the first stage.
func TestStageShellMatchesWalk(t *testing.T) {
	walk := func(ix *Index, i int) string {
		first := 0
		if s := ix.StageOf(i); s >= 0 {
			first = ix.Stage(s).First + 1
		}
		prog := ""
		for k := first; k < i; k++ {
			if n := ix.Node(k); n.Cmd == "shell" && len(n.Args) > 0 {
				prog = "?"
				if n.JSON {
					prog = n.Args[0].Value
				}
			}
		}
		return prog
	}
	files := sample(t)
	files["shells"] = "SHELL [\"/bin/zsh\"]\nFROM alpine AS a\nRUN a\nSHELL [\"/bin/bash\", \"-c\"]\nRUN b\nSHELL\nRUN c\n" +
		"SHELL pwsh -c\nRUN d\nFROM a\nRUN e\nSHELL [\"/bin/ash\"]\nSHELL [\"cmd\"]\nRUN f\n"
	shells := 0
	for name, text := range files {
		ix := Parse(NewDocument(text))
		for i := range ix.Len() {
			want := walk(ix, i)
			if got := ix.stageShell(i); got != want {
				t.Errorf("%s: instruction %d: stageShell %q, the walk %q", name, i, got, want)
			}
			if want != "" {
				shells++
			}
		}
	}
	// The race run reads one corpus file in ten (sample): the made-up
	// file's 7 then, and few besides.
	if least := map[bool]int{false: 10, true: 5}[raceEnabled]; shells < least {
		t.Errorf("only %d instructions under a SHELL compared", shells)
	}
}
