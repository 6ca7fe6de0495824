package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestGitLabIncludeLocal: a GitLab CI file's local includes (a string, a
// list, `local:`, a leading /, `*` within a folder and `**` across, and
// includes nested in included files) are merged into it: a job of the
// main file extends a template of an included file, a job of an included
// file reads the main file's variables, and each target is in the file
// that writes its value. Remote, project and template includes are not
// read. An edit to an included file re-reads the main file.
func TestGitLabIncludeLocal(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		".git/HEAD":      "ref: refs/heads/main\n",
		"app/Dockerfile": "FROM alpine AS prod\nFROM alpine AS e2e\nFROM alpine AS lint\nFROM alpine AS a\nFROM alpine AS deep\nFROM alpine AS nested\n",
		".gitlab-ci.yml": "include:\n  - local: ci/build.yml\n  - '/ci/jobs/*.yml'\n  - ci/deep/**.yml\n  - remote: https://example.com/x.yml\n  - template: Docker.gitlab-ci.yml\n  - project: group/other\n    file: /ci.yml\n" +
			"variables:\n  STAGE: nested\n" +
			"e2e:\n  extends: .docker-build\n  variables:\n    TARGET: e2e\n",
		"ci/build.yml":       "include: /ci/nested.yml\n.docker-build:\n  script:\n    - docker build --target $TARGET -f app/Dockerfile .\nlint:\n  script: docker build --target lint -f app/Dockerfile .\n",
		"ci/nested.yml":      "nested:\n  script:\n    - docker build --target $STAGE -f app/Dockerfile .\n",
		"ci/jobs/a.yml":      "job-a:\n  variables:\n    T: a\n  script:\n    - docker build --target $T -f app/Dockerfile .\n",
		"ci/jobs/sub/b.yml":  "job-b:\n  script:\n    - docker build --target b-not-included -f app/Dockerfile .\n",
		"ci/jobs/c.yaml":     "job-c:\n  script:\n    - docker build --target c-not-included -f app/Dockerfile .\n",
		"ci/deep/x/deep.yml": "deep:\n  script:\n    - docker build --target deep -f app/Dockerfile .\n",
	})
	ix := Scan([]string{root}, DefaultLimits)
	var got []string
	for _, tg := range ix.TargetsFor(filepath.Join(root, "app/Dockerfile")) {
		rel, _ := filepath.Rel(root, tg.File)
		text, _ := os.ReadFile(tg.File)
		got = append(got, fmt.Sprintf("%s:%d %q %s (%s) %s", filepath.ToSlash(rel), tg.Line, text[tg.Span.Start:tg.Span.End], tg.Name, tg.Owner, tg.Kind))
	}
	want := []string{
		`.gitlab-ci.yml:10 "nested" nested (job nested) gitlab`,
		`.gitlab-ci.yml:14 "e2e" e2e (job e2e) gitlab`,
		`ci/build.yml:6 "lint" lint (job lint) gitlab`,
		`ci/deep/x/deep.yml:3 "deep" deep (job deep) gitlab`,
		`ci/jobs/a.yml:3 "a" a (job job-a) gitlab`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{filepath.Join(root, ".gitlab-ci.yml")}, ix.Dependents(filepath.Join(root, "ci/nested.yml"))); d != "" {
		t.Errorf("dependents (-want +got):\n%s", d)
	}
}
