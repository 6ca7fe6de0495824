package features

import (
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// buildkitBases expands every stage's FROM base as dockerfile2llb does for
// a linux/amd64 build with no build arguments: the predefined platform
// ARGs, then the global ARGs in order (buildMetaArgs: a default expanded
// with what comes before it, an ARG without one leaving the value as it
// was), then the base with BuildKit's lexer (buildDispatchStates). ok is
// false when BuildKit rejects the file first.
func buildkitBases(text string) ([]string, bool) {
	res, err := parser.Parse(strings.NewReader(text))
	if err != nil {
		return nil, false
	}
	stages, metaArgs, err := instructions.Parse(res.AST, nil)
	if err != nil {
		return nil, false
	}
	lex := shell.NewLex(res.EscapeToken)
	env := []string{
		"BUILDPLATFORM=linux/amd64", "BUILDOS=linux", "BUILDOSVERSION=", "BUILDARCH=amd64", "BUILDVARIANT=",
		"TARGETPLATFORM=linux/amd64", "TARGETOS=linux", "TARGETOSVERSION=", "TARGETARCH=amd64", "TARGETVARIANT=",
	}
	target := "default"
	if n := len(stages); n > 0 && stages[n-1].Name != "" {
		target = stages[n-1].Name
	}
	env = append(env, "TARGETSTAGE="+target)
	set := func(k, v string) {
		for i, kv := range env {
			if strings.HasPrefix(kv, k+"=") {
				env[i] = k + "=" + v
				return
			}
		}
		env = append(env, k+"="+v)
	}
	for _, cmd := range metaArgs {
		for _, kp := range cmd.Args {
			if kp.Value == nil {
				continue
			}
			v, _, err := lex.ProcessWord(*kp.Value, shell.EnvsFromSlice(env))
			if err != nil {
				return nil, false
			}
			set(kp.Key, v)
		}
	}
	var out []string
	for _, st := range stages {
		v, _, err := lex.ProcessWord(st.BaseName, shell.EnvsFromSlice(env))
		if err != nil {
			return nil, false
		}
		out = append(out, v)
	}
	return out, true
}

// TestInlayBasesWithBuildKit compares the base each FROM with variables
// shows as an inlay hint with what BuildKit expands it to, over the corpus
// and its variants where a stage's base is built from global ARGs
// (testgen.ArgPattern).
func TestInlayBasesWithBuildKit(t *testing.T) {
	compared := 0
	for name, text := range testgen.Corpus(t) {
		all := map[string]string{name: text}
		if v, ok := argPatternVariant(text); ok {
			all[name+"+arg-pattern"] = v
		}
		for fname, ftext := range all {
			want, ok := buildkitBases(ftext)
			if !ok {
				continue
			}
			ix := analysis.Parse(analysis.NewDocument(ftext))
			if ix.StageCount() != len(want) {
				t.Errorf("%s: %d stages, BuildKit reads %d", fname, ix.StageCount(), len(want))
				continue
			}
			for s := range want {
				st := ix.Stage(s)
				n := ix.Node(st.First)
				if n.Base() == nil || len(n.Uses) == 0 {
					continue
				}
				got := n.Base().Value
				for _, h := range InlayHints(ix, n.Span()) {
					if h.Kind == InlayBase {
						got = h.Label
					}
				}
				if got != want[s] {
					t.Errorf("%s:%d: FROM %s shows %q, BuildKit expands it to %q", fname, ix.Doc.LineOf(n.Start)+1, n.Base().Value, got, want[s])
				}
				compared++
			}
		}
	}
	if compared == 0 {
		t.Fatal("no FROM with variables compared")
	}
	t.Logf("%d FROM bases with variables compared", compared)
}
