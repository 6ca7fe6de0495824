package analysis

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

const navDockerfile = testgen.NavDockerfile

func TestNavigation(t *testing.T) {
	ix := Parse(NewDocument(navDockerfile))
	at := func(needle string, nth int) int {
		off := -1
		for k := 0; k <= nth; k++ {
			off = strings.Index(navDockerfile[off+1:], needle) + off + 1
		}
		return off
	}
	// References to stage 0, whatever their casing; the numeric one too.
	var got []string
	for _, r := range ix.StageUses(0) {
		got = append(got, ix.Doc.Slice(r.Span))
	}
	if d := cmp.Diff([]string{"build", "BUILD", "0"}, got); d != "" {
		t.Errorf("uses of stage 0 (-want +got):\n%s", d)
	}
	if r, ok := ix.ReferentAt(at("Build", 0) + 2); !ok || r.Kind != ReferentStage || r.Stage != 0 {
		t.Errorf("ReferentAt the stage name = %+v %v", r, ok)
	}
	if r, ok := ix.RefAt(at("from=test", 0) + 6); !ok || r.Target != 1 || r.Kind != RefMountFrom {
		t.Errorf("RefAt mount = %+v %v", r, ok)
	}
	if d := cmp.Diff([]int{0, 1}, ix.Dependencies(2)); d != "" {
		t.Errorf("dependencies of the last stage (-want +got):\n%s", d)
	}

	// Variables: ${GO} in FROM is the global ARG; $GO in RUN is the stage's
	// ARG GO; CGO_ENABLED in the test stage comes from build's ENV; in the
	// scratch stage it is not defined.
	use := func(needle string, nth int) (VarSite, bool) {
		u, n, ok := ix.VarUseAt(at(needle, nth) + 1)
		if !ok {
			t.Fatalf("no use at %q #%d", needle, nth)
		}
		return ix.ResolveVar(n.Index, u.Name.Value)
	}
	if s, ok := use("${GO}", 0); !ok || ix.Doc.Position(s.NameSpan.Start, UTF8).Line != 0 {
		t.Errorf("${GO} in FROM resolves to %+v %v", s, ok)
	}
	if s, ok := use("$GO", 0); !ok || ix.Doc.Position(s.NameSpan.Start, UTF8).Line != 3 {
		t.Errorf("$GO in RUN resolves to %+v %v", s, ok)
	}
	if s, ok := use("$CGO_ENABLED", 1); !ok || ix.Doc.Position(s.NameSpan.Start, UTF8).Line != 4 {
		t.Errorf("$CGO_ENABLED in test resolves to %+v %v", s, ok)
	}
	if s, ok := use("$CGO_ENABLED", 2); ok {
		t.Errorf("$CGO_ENABLED in scratch resolves to %+v", s)
	}
	global, _ := ix.ReferentAt(at("GO=", 0))
	var occ []int
	occs, err := ix.Occurrences(context.Background(), global)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range occs {
		occ = append(occ, ix.Doc.Position(o.Span.Start, UTF8).Line)
	}
	// The stage's bare `ARG GO` brings the global in, so the `$GO` that
	// resolves to it (line 5) names the global too: a rename changes all.
	if d := cmp.Diff([]int{0, 2, 3, 5}, occ); d != "" {
		t.Errorf("occurrences of the global GO by line (-want +got):\n%s", d)
	}
	var names []string
	for _, v := range ix.VisibleVars(7) {
		names = append(names, v.Decl.Name.Value)
	}
	// build's `ARG GO` takes the global value, which BuildKit passes on to
	// test with the ENV.
	if d := cmp.Diff([]string{"CGO_ENABLED", "GO"}, names); d != "" {
		t.Errorf("visible in test's RUN (-want +got):\n%s", d)
	}
}

func TestCheckStageName(t *testing.T) {
	for name, ok := range map[string]bool{"build": true, "Build": true, "a.b-c_d": true, "1st": false, "scratch": false, "Context": false, "a b": false, "": false} {
		if err := CheckStageName(name); (err == nil) != ok {
			t.Errorf("CheckStageName(%q) = %v", name, err)
		}
	}
}
