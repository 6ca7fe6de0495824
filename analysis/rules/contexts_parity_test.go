package rules

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
)

// The named-context cases: one build of a Dockerfile given a set of named
// contexts (as `--build-context name=docker-image://...`). For each,
// tools/buildkit-parity -build -warnings -copyfrom /picked gives BuildKit's
// build error, the warnings a build of the last stage prints, and what its
// `COPY --from=<ref> ... /picked` reads: the context's image, a stage
// ("other") or an image. STAGEHAND_UPDATE_PARITY=1 rewrites cases.json;
// the golden then comes from the tool:
//
//	cd tools/buildkit-parity && go run . -build -warnings -copyfrom /picked -cases ../../testdata/buildkit-parity/contexts/cases.json
const contextsDir = "../../testdata/buildkit-parity/contexts"

type contextCase struct {
	Dockerfile string            `json:"dockerfile"`
	Contexts   map[string]string `json:"contexts,omitempty"`
}

type contextResult struct {
	contextCase
	Error    string   `json:"error,omitempty"`
	CopyFrom []string `json:"copyFrom,omitempty"`
	Warnings []struct {
		Rule    string `json:"rule"`
		Line    int    `json:"line"`
		Message string `json:"message"`
	} `json:"warnings,omitempty"`
}

// contextCases generates the cases: stages built on each other, whose
// variables and working directories a child inherits unless a context
// replaces its base, under every set of contexts over the stage names, a
// name no stage has and the final stage's base image.
func contextCases() []contextCase {
	bases := []string{"FROM tools AS deps\n", "FROM golang:1.23 AS deps\n"}
	picks := []string{"deps", "tools", "build", "ext", "busybox:1.36"}
	names := []string{"tools", "deps", "build", "ext", "alpine"}
	var out []contextCase
	for _, base := range bases {
		for _, pick := range picks {
			for _, buildWorkdir := range []string{"WORKDIR app\n", "WORKDIR /abs\n", ""} {
				var b strings.Builder
				b.WriteString("ARG VERSION=1.0\n")
				b.WriteString("FROM golang:1.23 AS tools\nENV TOOLS=/opt/tools\nWORKDIR /tools\nRUN true\n")
				b.WriteString(base + "ARG VERSION\nENV GOFLAGS=-mod=vendor\nRUN true\n")
				b.WriteString("FROM deps AS build\n" + buildWorkdir + "COPY x-${GOFLAGS}-${TOOLS}-${VERSION} /x/\nWORKDIR sub\nRUN true\n")
				b.WriteString("FROM alpine\nCOPY --from=" + pick + " /a /picked\nCOPY --from=build /b /b\n")
				df := b.String()
				for mask := range 1 << len(names) {
					c := contextCase{Dockerfile: df, Contexts: map[string]string{}}
					for k, n := range names {
						if mask&(1<<k) != 0 {
							c.Contexts[n] = fmt.Sprintf("docker-image://busybox:ctx-%s", n)
						}
					}
					out = append(out, c)
				}
			}
		}
	}
	return out
}

// TestContextsMatchBuildKit holds the build state given named contexts
// (Model.In, Model.ResolveIn) to BuildKit on every named-context case:
// what `COPY --from` reads (the context, a stage or an image), and the
// WorkdirRelativePath and UndefinedVar warnings a build of the last stage
// prints, in the stages it builds, with the rules run given the build's
// contexts. UndefinedVar is judged on the global ARG only: on other
// names the rule leaves a stage built on an image alone (the image may
// define them), and a context is an image.
func TestContextsMatchBuildKit(t *testing.T) {
	golden := readContextCases(t)
	judged := map[string]bool{WorkdirRelativePath.Name: true, UndefinedVar.Name: true}
	bad, toContext, warned := 0, 0, 0
	for _, want := range golden {
		ix := analysis.Parse(analysis.NewDocument(want.Dockerfile))
		var contexts []analysis.NamedContext
		for _, name := range slices.Sorted(maps.Keys(want.Contexts)) {
			contexts = append(contexts, analysis.NamedContext{Name: name, Value: want.Contexts[name]})
		}
		m := ix.Model()
		var problems []string
		if want.Error != "" {
			problems = append(problems, "BuildKit fails: "+want.Error)
		}
		// What the copy to /picked reads.
		for _, r := range m.Refs() {
			if r.Kind != analysis.RefCopyFrom || !strings.HasSuffix(lineOf(ix, r.Span.Start), " /picked") {
				continue
			}
			res, c := m.ResolveIn(r, contexts)
			got := "other"
			switch res {
			case analysis.ResolvesContext:
				got = "docker-image://docker.io/library/" + strings.TrimPrefix(c.Value, "docker-image://")
				toContext++
			case analysis.ResolvesImage:
				got = "docker-image://docker.io/library/" + r.Value
			}
			if len(want.CopyFrom) != 1 || !strings.HasPrefix(want.CopyFrom[0], got) {
				problems = append(problems, fmt.Sprintf("--from=%s: we read %s, BuildKit %q", r.Value, got, want.CopyFrom))
			}
		}
		// The warnings, in the stages the build reaches.
		reached := m.ReachableIn(ix.BuildTargets(nil), contexts)
		var gotW, wantW []string
		// UndefinedVar on a name an image may define (the context's
		// image, whose environment the stub resolver leaves empty) is
		// not ours to report: only the global ARG is judged.
		imageMay := func(rule, msg string) bool {
			return rule == UndefinedVar.Name && !strings.Contains(msg, "'$VERSION'")
		}
		for _, d := range Run(ix, &Config{Contexts: contexts}) {
			if s := ix.StageAt(d.Span.Start); judged[d.Rule] && s >= 0 && reached[s] && !imageMay(d.Rule, d.Message) {
				gotW = append(gotW, fmt.Sprintf("%d %s: %s", ix.Doc.LineOf(d.Span.Start)+1, d.Rule, d.Message))
			}
		}
		for _, w := range want.Warnings {
			if judged[w.Rule] && !imageMay(w.Rule, w.Message) {
				wantW = append(wantW, fmt.Sprintf("%d %s: %s", w.Line, w.Rule, w.Message))
			}
		}
		sort.Strings(gotW)
		sort.Strings(wantW)
		warned += len(wantW)
		if !slices.Equal(gotW, wantW) {
			problems = append(problems, fmt.Sprintf("warnings: we %q, BuildKit %q", gotW, wantW))
		}
		if len(problems) > 0 {
			bad++
			if bad <= 20 {
				t.Errorf("contexts %v:\n%s%s", want.Contexts, want.Dockerfile, strings.Join(problems, "\n"))
			}
		}
	}
	if bad > 20 {
		t.Errorf("... %d disagreements in all", bad)
	}
	t.Logf("%d builds: %d copies read a context, %d warnings compared", len(golden), toContext, warned)
	if len(golden) < 500 || toContext < 100 || warned < 300 {
		t.Errorf("too few compared: %d builds, %d copies from a context, %d warnings", len(golden), toContext, warned)
	}
}

// readContextCases reads the cases and BuildKit's golden (rewriting the
// cases first with STAGEHAND_UPDATE_PARITY), as readParityCases does for
// cases that are only Dockerfiles.
func readContextCases(t *testing.T) []contextResult {
	t.Helper()
	casesFile := filepath.Join(contextsDir, "cases.json")
	const tool = "tools/buildkit-parity -build -warnings -copyfrom /picked -cases"
	if updateParity {
		b, err := json.MarshalIndent(contextCases(), "", "\t")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(casesFile, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: now run %s on it", casesFile, tool)
	}
	var cases []contextCase
	readJSON(t, casesFile, &cases)
	var golden []contextResult
	readJSON(t, strings.TrimSuffix(casesFile, ".json")+".golden.json", &golden)
	if len(golden) != len(cases) {
		t.Fatalf("the golden has %d results for %d cases: run %s", len(golden), len(cases), tool)
	}
	for i, r := range golden {
		if r.Dockerfile != cases[i].Dockerfile || !maps.Equal(r.Contexts, cases[i].Contexts) {
			t.Fatalf("case %d: the golden is stale: run %s", i, tool)
		}
	}
	return golden
}
