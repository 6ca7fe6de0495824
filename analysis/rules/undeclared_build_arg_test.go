package rules

import (
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
)

func TestDeclares(t *testing.T) {
	ix := analysis.Parse(analysis.NewDocument("ARG GLOBAL\nFROM alpine\nARG LOCAL=1 OTHER\n"))
	for name, want := range map[string]bool{"GLOBAL": true, "LOCAL": true, "OTHER": true, "HTTP_PROXY": true,
		"BUILDKIT_INLINE_CACHE": true, "SOURCE_DATE_EPOCH": true, "MISSING": false, "global": false} {
		if got := Declares(ix, name); got != want {
			t.Errorf("Declares(%s) = %v, want %v", name, got, want)
		}
	}
}

// TestRunUses: a use rule reports under the configured severity, not at
// all when configured off or skipped by the Dockerfile's `# check=`, and
// UnknownTarget, which fails the build, survives `skip=all`.
func TestRunUses(t *testing.T) {
	uses := []Use{
		{Kind: UseTarget, Name: "prd", Span: analysis.Span{Start: 10, End: 13}, Dockerfile: "/p/Dockerfile"},
		{Kind: UseArg, Name: "NOPE", Span: analysis.Span{Start: 20, End: 24}, Dockerfile: "/p/Dockerfile"},
		{Kind: UseArg, Name: "VERSION", Span: analysis.Span{Start: 30, End: 37}, Dockerfile: "/p/Dockerfile"},
		{Kind: UseTarget, Name: "prod", Span: analysis.Span{Start: 40, End: 44}, Dockerfile: "/p/Dockerfile"},
	}
	const body = "FROM alpine AS prod\nARG VERSION\n"
	for _, c := range []struct {
		name, head string
		cfg        *Config
		want       []string
	}{
		{"defaults", "", nil, []string{`error UnknownTarget Dockerfile has no stage named "prd" (did you mean "prod"?)`, "warning UndeclaredBuildArg Dockerfile declares no ARG NOPE: the build argument has no effect (BuildKit ignores it without a warning)"}},
		{"severity", "", &Config{Severity: map[string]Severity{"UnknownTarget": Hint, "UndeclaredBuildArg": Off}}, []string{`hint UnknownTarget Dockerfile has no stage named "prd" (did you mean "prod"?)`}},
		{"skip one", "# check=skip=UndeclaredBuildArg\n", nil, []string{`error UnknownTarget Dockerfile has no stage named "prd" (did you mean "prod"?)`}},
		{"skip all", "# check=skip=all\n", nil, []string{`error UnknownTarget Dockerfile has no stage named "prd" (did you mean "prod"?)`}},
		{"skip both", "# check=skip=UnknownTarget,UndeclaredBuildArg\n", nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			ix := analysis.Parse(analysis.NewDocument(c.head + body))
			var got []string
			for _, d := range RunUses(ix, c.cfg, uses) {
				got = append(got, d.Severity.String()+" "+d.Rule+" "+d.Message)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("got %q, want %q", got[i], c.want[i])
				}
			}
		})
	}
	broken := analysis.Parse(analysis.NewDocument("FROM alpine\nRUN echo " + strings.Repeat("x", 70000) + "\n"))
	if broken.ParseError == nil {
		t.Fatal("no parse error for a line past BuildKit's limit")
	}
	if ds := RunUses(broken, nil, uses); len(ds) != 0 {
		t.Errorf("a Dockerfile that does not parse is judged: %v", ds)
	}
}
