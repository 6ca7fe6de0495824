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
