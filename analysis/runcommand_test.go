package analysis

import (
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestRunCommandMatchesBuildKit holds the RUN command and heredocs the
// grouper reads (runCommand) to BuildKit's parser (runCommandBuildKit),
// for every RUN of the corpus files and their grouping variants, and for
// texts made to take each path.
func TestRunCommandMatchesBuildKit(t *testing.T) {
	type answer struct {
		Command  string
		Heredocs any
		OK       bool
	}
	compare := func(name, text string) bool {
		got, gotDocs, gotOK := runCommand(text)
		want, wantDocs, wantOK := runCommandBuildKit(text)
		if d := cmp.Diff(answer{want, wantDocs, wantOK}, answer{got, gotDocs, gotOK}); d != "" {
			t.Errorf("%s: %q (-BuildKit +grouper):\n%s", name, text, d)
			return false
		}
		return true
	}
	for _, text := range []string{
		"RUN echo hi",
		"  RUN --mount=type=cache,target=/x \\\n  # note\n\n  make \\\n all",
		"RUN <<EOF\necho a\r\n\techo b\nEOF",
		"RUN <<-EOT bash\n\tset -e\n\tEOT",
		"RUN <<\"A\" cat <<B\nx\nA\ny\nB",
		"RUN cat <<EOF",               // unterminated
		"RUN",                         // no command
		"RUN --network=host",          // flags only
		"RUN [\"sh\", \"-c\", \"x\"]", // the exec form: BuildKit's path
		"RUN [1]",
		"RUN \\\n",
		"\uFEFFRUN echo",
	} {
		compare("case", text)
	}
	files := testgen.Corpus(t)
	r := rand.New(rand.NewPCG(18, 2))
	runs := 0
	for i, name := range slices.Sorted(maps.Keys(files)) {
		for k, text := range append([]string{files[name]}, groupVariants(r, files[name])...) {
			if k > 0 && ((k+i)%5 != 0 || raceEnabled && i%8 != 0) {
				continue
			}
			ix := Parse(NewDocument(text))
			if ix.ParseError != nil || ix.Escape != '\\' {
				continue
			}
			ok := true
			ix.each(func(n Node) {
				if ok && n.Cmd == "run" {
					ok = compare(name, ix.Doc.Slice(n.Span()))
					runs++
				}
			})
			if !ok {
				break
			}
		}
	}
	if want := 3000; runs < want && !raceEnabled {
		t.Errorf("only %d RUN instructions compared, want %d or more", runs, want)
	}
}
