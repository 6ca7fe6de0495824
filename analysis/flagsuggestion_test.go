package analysis

import (
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// TestUnknownFlagSuggestionStable types every flag of every instruction
// wrong in three ways (a letter dropped, a letter changed, cut to its
// first three letters) and requires the same message from every parse,
// with a suggestion BuildKit itself gives for that line on some run (it
// picks among equals in map order, so it is asked many times).
func TestUnknownFlagSuggestionStable(t *testing.T) {
	const runs = 40
	checked := 0
	for _, info := range Instructions {
		for _, f := range info.Flags {
			name := f.Name
			typos := map[string]bool{name[:len(name)-1]: true, name[:len(name)-1] + "x": true}
			if len(name) > 3 {
				typos[name[:3]] = true
			}
			for typo := range typos {
				if info.Flag(typo) != nil {
					continue
				}
				line := info.Name + " --" + typo + "=1 a b"
				text := "FROM alpine\n" + line + "\n"
				if info.Name == "FROM" {
					text = line + "\n"
				}
				theirs := map[string]bool{}
				for range runs {
					res, err := parser.Parse(strings.NewReader(text))
					if err != nil {
						t.Fatal(err)
					}
					node := res.AST.Children[len(res.AST.Children)-1]
					if _, err := instructions.ParseInstruction(node); err != nil {
						theirs[errorMessage(err)] = true
					}
				}
				if len(theirs) == 0 {
					continue
				}
				var ours string
				for i := range runs {
					ix := Parse(NewDocument(text))
					n := ix.Node(ix.Len() - 1)
					errs := n.Errors()
					if len(errs) == 0 {
						t.Fatalf("%q: no error, BuildKit says %v", line, theirs)
					}
					if i == 0 {
						ours = errs[0].Message
					} else if errs[0].Message != ours {
						t.Fatalf("%q: %q on one parse, %q on another", line, ours, errs[0].Message)
					}
				}
				if !theirs[ours] {
					t.Errorf("%q: we say %q, BuildKit says one of %v", line, ours, theirs)
				}
				checked++
			}
		}
	}
	if checked < 40 {
		t.Fatalf("only %d typos checked", checked)
	}
	t.Logf("%d mistyped flags", checked)
}

// TestMountSuggestionStable: for a mistyped mount type or sharing mode,
// BuildKit's "did you mean" varies between runs where two candidates are
// as near (`type=cash`: cache or ssh); StableSuggestion turns every
// answer BuildKit gives into one, and that one is among BuildKit's.
func TestMountSuggestionStable(t *testing.T) {
	const runs = 60
	var words []string
	typos := func(name string) {
		words = append(words, name[:len(name)-1], name[1:], name[:len(name)-1]+"x")
	}
	for _, m := range MountTypes {
		typos(m.Name)
	}
	for _, v := range LookupMountKey("sharing").Values {
		typos(v.Value)
	}
	words = append(words, "cash", "sech", "shard")
	varied := 0
	for _, w := range words {
		for _, spec := range []string{"type=" + w + ",target=/x", "type=cache,target=/x,sharing=" + w} {
			text := "FROM alpine\nRUN --mount=" + spec + " true\n"
			theirs := map[string]bool{}
			for range runs {
				res, err := parser.Parse(strings.NewReader(text))
				if err != nil {
					t.Fatal(err)
				}
				// The mounts are read when the RUN is expanded, as dispatch does.
				cmd, err := instructions.ParseInstruction(res.AST.Children[1])
				if run, ok := cmd.(*instructions.RunCommand); ok && err == nil {
					err = run.Expand(func(w string) (string, error) { return w, nil })
				}
				if err != nil {
					theirs[errorMessage(err)] = true
				}
			}
			if len(theirs) == 0 {
				continue
			}
			if len(theirs) > 1 {
				varied++
			}
			ours := map[string]bool{}
			for m := range theirs {
				ours[StableSuggestion(m, "run")] = true
			}
			if len(ours) != 1 {
				t.Errorf("%s: BuildKit's %v become %v, want one message", spec, theirs, ours)
				continue
			}
			for m := range ours {
				if !theirs[m] {
					t.Errorf("%s: %q is none of BuildKit's %v", spec, m, theirs)
				}
			}
		}
	}
	if varied == 0 {
		t.Fatalf("no mistyped word drew two answers from BuildKit in %d runs: the test checks nothing", runs)
	}
	t.Logf("%d words drew more than one answer from BuildKit", varied)
}
