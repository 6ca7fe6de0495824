package safety

import (
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/refactor"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestCheckFails shows that each of the checker's checks catches the
// change it is there for.
func TestCheckFails(t *testing.T) {
	const base = "FROM alpine AS a\nARG V=1\nWORKDIR /src\nRUN echo $V\nUSER app\nRUN make\n\nFROM a\nCOPY --from=0 /x /x\n"
	for _, tc := range []struct {
		name, after, want string
		intended          Intended
	}{
		{"unparsable", "FROM alpine AS a\nRUN <<EOF\n", "does not parse", Intended{}},
		{"RUN moved across its ARG", "FROM alpine AS a\nWORKDIR /src\nRUN echo $V\nARG V=1\nUSER app\nRUN make\n\nFROM a\nCOPY --from=0 /x /x\n", "RUN", Intended{}},
		{"split declaring a self-referring ARG again", "FROM alpine AS a-base\nARG V=1\nARG V=${V}x\nWORKDIR /src\n\nFROM a-base AS a\nARG V=${V}x\nRUN echo $V\nUSER app\nRUN make\n\nFROM a\nCOPY --from=1 /x /x\n", "RUN", Intended{NewRefs: 1, Added: []string{"arg V=${V}x"}}},
		{"numeric reference not renumbered", "FROM alpine AS a-base\nARG V=1\nWORKDIR /src\n\nFROM a-base AS a\nARG V=1\nRUN echo $V\nUSER app\nRUN make\n\nFROM a\nCOPY --from=0 /x /x\n", "references changed", Intended{NewRefs: 1, Added: []string{"arg V=1"}}},
		{"RUN moved across USER", "FROM alpine AS a\nARG V=1\nWORKDIR /src\nRUN echo $V\nRUN make\nUSER app\n\nFROM a\nCOPY --from=0 /x /x\n", "RUN", Intended{}},
		{"instruction lost", "FROM alpine AS a\nARG V=1\nWORKDIR /src\nRUN echo $V\nUSER app\nRUN make\n\nFROM a\n", "references changed", Intended{}},
		{"instruction added", "FROM alpine AS a\nARG V=1\nWORKDIR /src\nRUN echo $V\nUSER app\nRUN make\n\nFROM a\nCOPY --from=0 /x /x\nCOPY x /y\n", "gained", Intended{}},
	} {
		err := Check(analysis.NewDocument(base), analysis.NewDocument(tc.after), tc.intended)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	if err := Check(analysis.NewDocument(base), analysis.NewDocument(base), Intended{}); err != nil {
		t.Errorf("unchanged: %v", err)
	}
	// A RUN mount without from= reads the stage named scratch: renaming
	// that stage, or naming another one so, changes what the mount reads.
	scratch := "FROM alpine AS scratch\nRUN echo seed > /seed\n\nFROM debian AS other\nRUN true\n\nFROM golang\nRUN --mount=type=cache,target=/c go build\n"
	for name, after := range map[string]string{
		"scratch stage renamed":  strings.Replace(scratch, "AS scratch", "AS seed", 1),
		"another stage named so": strings.Replace(strings.Replace(scratch, "AS scratch", "AS seed", 1), "AS other", "AS scratch", 1),
	} {
		if err := Check(analysis.NewDocument(scratch), analysis.NewDocument(after), Intended{}); err == nil || !strings.Contains(err.Error(), "references changed") {
			t.Errorf("%s: got %v, want the references changed", name, err)
		}
	}
	// BuildKit keeps a stage's ARG values in the stages built FROM it: a
	// split need not declare them again.
	split := "FROM alpine AS a-base\nARG V=1\nWORKDIR /src\n\nFROM a-base AS a\nRUN echo $V\nUSER app\nRUN make\n\nFROM a\nCOPY --from=1 /x /x\n"
	if err := Check(analysis.NewDocument(base), analysis.NewDocument(split), Intended{NewRefs: 1}); err != nil {
		t.Errorf("split keeping the ARG in the first part: %v", err)
	}
}

// TestCheckConfig shows the checker catches an ENTRYPOINT that, cut
// from its CMD by a new FROM, would clear the CMD.
func TestCheckConfig(t *testing.T) {
	before := "FROM alpine AS app\nCMD [\"serve\"]\nRUN true\nENTRYPOINT [\"app\"]\n"
	after := "FROM alpine AS app-base\nCMD [\"serve\"]\nRUN true\n\nFROM app-base AS app\nENTRYPOINT [\"app\"]\n"
	err := Check(analysis.NewDocument(before), analysis.NewDocument(after), Intended{NewRefs: 1})
	if err == nil || !strings.Contains(err.Error(), "configuration of the final image changed") {
		t.Errorf("got %v, want a configuration change", err)
	}
}

// TestCheckContext shows the checker, given the build context,
// catches a reordering whose COPY no longer brings what an install reads,
// per package manager and workspace, and accepts the planner's own.
func TestCheckContext(t *testing.T) {
	pnpm := analysis.BuildContext{FS: testgen.MapFS("package.json={}", "pnpm-lock.yaml", "pnpm-workspace.yaml=packages: ['packages/*']", "packages/a/package.json={}", "patches/x.patch")}
	for _, tc := range []struct {
		name, before, after string
		ctx                 analysis.BuildContext
		wantErr             string
	}{
		{"npm lockfile left behind", "FROM node\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
			"FROM node\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\n",
			analysis.BuildContext{FS: testgen.MapFS("package.json={}", "package-lock.json")}, "run npm ci no longer finds /app/package-lock.json"},
		{"pnpm workspace members left behind", "FROM node\nWORKDIR /app\nCOPY . .\nRUN pnpm install\n",
			"FROM node\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./\nCOPY patches/ ./patches/\nRUN pnpm install\nCOPY . .\n",
			pnpm, "run pnpm install no longer finds /app/packages/a/package.json"},
		{"go.sum left behind", "FROM golang\nCOPY . /src\nWORKDIR /src\nRUN go mod download\n",
			"FROM golang\nWORKDIR /src\nCOPY go.mod /src/\nRUN go mod download\nCOPY . /src\n",
			analysis.BuildContext{FS: testgen.MapFS("go.mod=module x", "go.sum")}, "run go mod download no longer finds /src/go.sum"},
		{"manifests copied elsewhere", "FROM python\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n",
			"FROM python\nWORKDIR /app\nCOPY requirements.txt /tmp/\nRUN pip install -r requirements.txt\nCOPY . .\n",
			analysis.BuildContext{FS: testgen.MapFS("requirements.txt")}, "no longer finds /app/requirements.txt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(analysis.NewDocument(tc.before), analysis.NewDocument(tc.after), Intended{Added: []string{"copy"}, SkipClosure: true, Context: tc.ctx})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("got %v, want an error with %q", err, tc.wantErr)
			}
			// The planner's own reordering passes.
			plan, reason := refactor.PlanLayers(analysis.Parse(analysis.NewDocument(tc.before)), 0, tc.ctx)
			if plan == nil {
				t.Fatalf("no plan: %s", reason)
			}
			after, err := analysis.ApplyEdits(tc.before, []analysis.Edit{plan.Edit})
			if err != nil {
				t.Fatal(err)
			}
			var added []string
			for _, m := range append(plan.ManifestCopies, plan.Added...) {
				added = append(added, NormalizeInstruction(analysis.Parse(analysis.NewDocument("FROM x\n"+m+"\n")), 1))
			}
			if err := Check(analysis.NewDocument(tc.before), analysis.NewDocument(after), Intended{Added: added, Context: tc.ctx}); err != nil {
				t.Errorf("the plan fails the checker: %v\n%s", err, after)
			}
		})
	}
}

// TestCheckContextExcluded checks that a reordering whose manifest COPY
// brings a file the source copy excluded (--exclude) fails the checker
// (the install now finds a lockfile it did not), and that the planner does
// not offer it.
func TestCheckContextExcluded(t *testing.T) {
	ctx := analysis.BuildContext{FS: testgen.MapFS("package.json={}", "package-lock.json")}
	before := "# syntax=docker/dockerfile:1.7-labs\nFROM node\nWORKDIR /app\nCOPY --exclude=package-lock.json . .\nRUN npm install\n"
	after := "# syntax=docker/dockerfile:1.7-labs\nFROM node\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm install\nCOPY --exclude=package-lock.json . .\n"
	err := Check(analysis.NewDocument(before), analysis.NewDocument(after), Intended{Added: []string{"copy package.json package-lock.json ./"}, SkipClosure: true, Context: ctx})
	if err == nil || !strings.Contains(err.Error(), "now finds /app/package-lock.json") {
		t.Errorf("got %v, want the lockfile the source copy excluded reported", err)
	}
	if plan, _ := refactor.PlanLayers(analysis.Parse(analysis.NewDocument(before)), 0, ctx); plan != nil {
		t.Errorf("the planner offers a reorder that brings the excluded lockfile:\n%s", plan.Edit.Text)
	}
	// Without the exclusion the same reordering passes.
	plain := strings.ReplaceAll(before, "--exclude=package-lock.json ", "")
	if err := Check(analysis.NewDocument(plain), analysis.NewDocument(strings.ReplaceAll(after, "--exclude=package-lock.json ", "")), Intended{Added: []string{"copy package.json package-lock.json ./"}, SkipClosure: true, Context: ctx}); err != nil {
		t.Errorf("without --exclude: %v", err)
	}
}
