package analysis

import (
	"slices"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// TestExpandFastPath checks that skipping the lexer for plain words gives
// what the lexer gives, over every ARG and ENV value of the corpus.
func TestExpandFastPath(t *testing.T) {
	checked := 0
	for name, text := range sample(t) {
		ix := Parse(NewDocument(text))
		m := ix.Model()
		lex := shell.NewLex(rune(ix.Escape))
		for i := 0; i < ix.Len(); i++ {
			n := ix.Node(i)
			for _, d := range n.Decls {
				raw := m.raw(n, d.Value)
				env := mapEnv{"HOME": "/root"}
				got, _, gerr := expand(lex, raw, env, ix.Escape)
				want, _, werr := lex.ProcessWord(raw, env)
				checked++
				if got != want || (gerr == nil) != (werr == nil) {
					t.Errorf("%s: %q: fast path %q %v, lexer %q %v", name, raw, got, gerr, want, werr)
				}
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d values checked", checked)
	}
}

// TestStateConcurrent reads states and declarations of one fresh model
// from several goroutines, as concurrent requests do (run with -race).
func TestStateConcurrent(t *testing.T) {
	const text = "ARG V=1\nFROM alpine AS a\nARG V\nENV X=${V}x WORKDIR_=/w\nWORKDIR /app\nFROM a AS b\nRUN echo $X\nFROM b\nUSER app\nRUN echo $V\n"
	ix := Parse(NewDocument(text))
	done := make(chan string, 8)
	for g := 0; g < 8; g++ {
		go func() {
			m := ix.Model()
			got := ""
			for i := ix.Len() - 1; i >= 0; i-- {
				st := m.State(i)
				v, _ := st.Var("X")
				site, _ := ix.ResolveVar(i, "V")
				got += st.Workdir + "|" + v + "|" + site.Decl.Name.Value + ";"
			}
			done <- got
		}()
	}
	first := <-done
	for g := 1; g < 8; g++ {
		if got := <-done; got != first {
			t.Errorf("goroutines disagree:\n%s\n%s", first, got)
		}
	}
	if v, _ := ix.Model().State(ix.Len() - 1).Var("X"); v != "1x" {
		t.Errorf("X in the last stage = %q, want 1x (ENV passed on through two FROMs)", v)
	}
}

// TestStateShell: SHELL's exec form sets the shell the instructions after
// it see, in its stage and in the stages built FROM it, as BuildKit's
// image config carries it; the shell form is no SHELL BuildKit accepts.
func TestStateShell(t *testing.T) {
	ix := Parse(NewDocument("FROM alpine AS a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN echo\nFROM a\nRUN echo\nSHELL [\"/bin/sh\"]\nRUN echo\nSHELL /bin/zsh\nRUN echo\nFROM alpine\nRUN echo\n"))
	m := ix.Model()
	bash := []string{"/bin/bash", "-o", "pipefail", "-c"}
	for _, tc := range []struct {
		inst int
		want []string
	}{{2, bash}, {4, bash}, {6, []string{"/bin/sh"}}, {8, []string{"/bin/sh"}}, {10, nil}} {
		if got := m.State(tc.inst).Shell; !slices.Equal(got, tc.want) {
			t.Errorf("State(%d).Shell = %q, want %q", tc.inst, got, tc.want)
		}
	}
}
