package rules

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/distribution/reference"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// The base-name cases: Dockerfiles whose FROM lines name images written
// in every way distribution/reference accepts or refuses, with BuildKit's
// verdict and lint warnings from tools/buildkit-parity -cases -warnings.
// STAGEHAND_UPDATE_PARITY=1 rewrites base-cases.json; the golden then
// comes from the tool.
const baseCasesFile = "base-cases.json"

// baseSeeds are FROM values that name the kinds of name: each corpus base
// is varied the same ways.
var baseSeeds = []string{
	"Alpine", "Scratch", "SCRATCH", "alpine:Latest", "alpine:3.20", "ubuntu::22.04", "ubuntu:", ":latest",
	"alpine@sha256:abc", "alpine@sha256:" + strings.Repeat("a", 64), "alpine@md5:" + strings.Repeat("a", 32),
	"alpine:3@sha256:" + strings.Repeat("0", 64), strings.Repeat("a", 64), strings.Repeat("A", 64),
	"Docker.io/library/alpine", "docker.io/Library/alpine", "index.docker.io/alpine", "localhost/App",
	"localhost:5000/app", "Localhost:5000/app", "localhost:5000/App", "ghcr.io/Owner/repo", "GHCR.io/owner/repo",
	"my_registry/app", "my-org/app_name", "app__x", "app___x", "app.-x", "-app", "app-", "a/b/c/d/e",
	"[::1]:5000/app", "127.0.0.1:5000/app:tag", "registry:5000/team/app", "Team/app", "team/App:v1",
	strings.Repeat("x", 250), "docker.io/library/" + strings.Repeat("y", 240), "alpine:" + strings.Repeat("t", 129),
}

// baseCases are the seeds and the corpus's plain bases, each as written,
// with its first letter in capitals, with "::" for its tag separator, and
// after a stage named like it.
func baseCases(t *testing.T) []string {
	seen := map[string]bool{}
	var out []string
	add := func(d string) {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	vary := func(base string) {
		add("FROM " + base + "\n")
		add("FROM " + strings.ToUpper(base[:1]) + base[1:] + "\n")
		if i := strings.LastIndexByte(base, ':'); i > 0 && !strings.Contains(base[i:], "/") {
			add("FROM " + base[:i] + "::" + base[i+1:] + "\n")
		}
		add("FROM busybox AS " + strings.ToLower(base) + "\nRUN true\nFROM " + base + "\n")
	}
	for _, b := range baseSeeds {
		vary(b)
	}
	corpus := testgen.Corpus(t)
	names := make([]string, 0, len(corpus))
	for name := range corpus {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		ix := analysis.Parse(analysis.NewDocument(corpus[name]))
		for _, st := range ix.Stages().All() {
			if st.Base != "" && !hasSpecial(st.Base, ix.Escape) && len(out) < 1500 {
				vary(st.Base)
			}
		}
	}
	return out
}

type baseResult struct {
	Dockerfile string `json:"dockerfile"`
	Error      string `json:"error,omitempty"`
	Line       int    `json:"line,omitempty"`
	Warnings   []struct {
		Rule    string `json:"rule"`
		Line    int    `json:"line,omitempty"`
		Message string `json:"message"`
	} `json:"warnings,omitempty"`
}

// TestBaseNameMatchesBuildKit holds what we say of FROM image names to
// BuildKit: its build fails exactly where we report a build-failing error,
// on its line, with its message where BuildError states it; and its
// InvalidDefaultArgInFrom warnings are ours, line and message.
func TestBaseNameMatchesBuildKit(t *testing.T) {
	golden := readParityCases(t, filepath.Join(dispatchDir, baseCasesFile), func() []string { return baseCases(t) }, "tools/buildkit-parity -cases -warnings",
		func(r baseResult) string { return r.Dockerfile })
	failing, stated, warned, bad := 0, 0, 0, 0
	for _, want := range golden {
		ix := analysis.Parse(analysis.NewDocument(want.Dockerfile))
		var got *Diagnostic
		var warnings, wantWarnings []string
		// BuildKit lints only what it parses; we go on warning.
		parsed := !strings.HasPrefix(want.Error, "dockerfile parse error")
		for _, d := range Run(ix, nil) {
			if d.Rule == InvalidDefaultArgInFrom.Name {
				warnings = append(warnings, fmt.Sprintf("%d %s", ix.Doc.LineOf(d.Span.Start)+1, d.Message))
			}
			// UnknownStageReference is an error, and states the failure,
			// where a FROM differs from a stage's name only in case.
			if d.Severity != Error || !failsBuild(d.Rule) && d.Rule != UnknownStageReference.Name {
				continue
			}
			if got == nil || d.Message == want.Error {
				got = &d
			}
		}
		for _, w := range want.Warnings {
			if w.Rule == InvalidDefaultArgInFrom.Name {
				wantWarnings = append(wantWarnings, fmt.Sprintf("%d %s", w.Line, w.Message))
			}
		}
		if want.Error != "" {
			failing++
		}
		warned += len(wantWarnings)
		problem, byBuildError := failureDisagreement(ix, want.Error, want.Line, got)
		if byBuildError {
			stated++
		}
		if parsed && !slices.Equal(warnings, wantWarnings) {
			problem = fmt.Sprintf("InvalidDefaultArgInFrom %q, BuildKit's %q", warnings, wantWarnings)
		}
		if problem != "" {
			bad++
			if bad <= 40 {
				t.Errorf("%q: %s", want.Dockerfile, problem)
			}
		}
	}
	if bad > 40 {
		t.Errorf("... %d disagreements in all", bad)
	}
	t.Logf("%d cases, %d failing in BuildKit, %d stated by BuildError, %d InvalidDefaultArgInFrom warnings", len(golden), failing, stated, warned)
	if len(golden) < 500 || failing < 100 || stated < 100 || warned < 100 {
		t.Errorf("too few cases compared: %d cases, %d failing, %d stated, %d warnings", len(golden), failing, stated, warned)
	}
}

// TestParseBaseNameMemo holds the memoized parseBaseName to
// distribution/reference's own answer for every seed and many more names,
// each asked twice in a row (the second answer comes from the memo), past
// the memo's bound.
func TestParseBaseNameMemo(t *testing.T) {
	names := slices.Clone(baseSeeds)
	for i := range baseNamesMax + 10 {
		names = append(names, fmt.Sprintf("img%d:v%d", i, i), fmt.Sprintf("Img%d", i))
	}
	for _, name := range names {
		_, want := reference.ParseNormalizedNamed(name)
		for ask := range 2 {
			if got := parseBaseName(name); fmt.Sprint(want) != fmt.Sprint(got) {
				t.Fatalf("asked %d times: parseBaseName(%q) = %v, want %v", ask+1, name, got, want)
			}
		}
	}
	if n := len(baseNames.m); n > baseNamesMax {
		t.Errorf("the memo holds %d names, want at most %d", n, baseNamesMax)
	}
}
