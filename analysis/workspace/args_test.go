package workspace

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBuildArgs(t *testing.T) {
	root := filepath.FromSlash("/p")
	tests := []struct {
		file, text string
		want       []string // name@text-at-span>dockerfile
	}{
		{"compose.yaml", "services:\n  api:\n    build:\n      context: svc\n      args:\n        VERSION: 1\n        \"QUOTED\": x\n  web:\n    build:\n      dockerfile: web.Dockerfile\n      args:\n        - MODE=prod\n        - 'PLAIN'\n        - $SKIP=1\n",
			[]string{"VERSION@VERSION>/p/svc/Dockerfile", "QUOTED@QUOTED>/p/svc/Dockerfile", "MODE@MODE>/p/web.Dockerfile", "PLAIN@PLAIN>/p/web.Dockerfile"}},
		{"docker-bake.hcl", "target \"app\" {\n  context = \"app\"\n  args = {\n    GO_VERSION = \"1.23\"\n    \"QUOTED\" = \"x\"\n  }\n}\ntarget \"child\" {\n  inherits = [\"app\"]\n  args = { OTHER = \"1\" }\n}\n",
			[]string{"GO_VERSION@GO_VERSION>/p/app/Dockerfile", "QUOTED@QUOTED>/p/app/Dockerfile", "OTHER@OTHER>/p/app/Dockerfile"}},
		{"docker-bake.json", `{"target": {"app": {"dockerfile": "x.Dockerfile", "args": {"A": "1"}}}}`,
			[]string{"A@A>/p/x.Dockerfile"}},
		// A workflow passes them through build-push-action's build-args
		// (a literal block, or a plain string) and in run: steps; a called
		// workflow's are its own.
		{".github/workflows/ci.yml", "on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: svc\n          build-args: |\n            VERSION=${{ github.sha }}\n              COMMIT\n            ${{ env.X }}=1\n      - uses: docker/build-push-action@v6\n        with:\n          file: web.Dockerfile\n          build-args: MODE=prod\n      - run: docker build --build-arg DEBUG=1 -f svc/Dockerfile svc\n",
			[]string{"VERSION@VERSION>/p/svc/Dockerfile", "COMMIT@COMMIT>/p/svc/Dockerfile", "MODE@MODE>/p/web.Dockerfile", "DEBUG@DEBUG>/p/svc/Dockerfile"}},
		// Values computed by the shell or Make still name the argument.
		{"Makefile", "VERSION ?= 1.0\nimage:\n\tdocker build --build-arg VERSION=$(VERSION) --build-arg=\"GIT_SHA=$$(git rev-parse HEAD)\" --build-arg \"$(KEY)=1\" -f svc/Dockerfile .\n",
			[]string{"VERSION@VERSION>/p/svc/Dockerfile", "GIT_SHA@GIT_SHA>/p/svc/Dockerfile"}},
		{".gitlab-ci.yml", "build:\n  script:\n    - docker build --build-arg VERSION=$CI_COMMIT_SHA -t app svc\n",
			[]string{"VERSION@VERSION>/p/svc/Dockerfile"}},
		{"build.sh", "docker buildx build --build-arg VERSION=1 \\\n  --build-arg=MODE -f svc/Dockerfile --build-arg \"$X=1\" .\npodman build --build-arg A svc\n",
			[]string{"VERSION@VERSION>/p/svc/Dockerfile", "MODE@MODE>/p/svc/Dockerfile", "A@A>/p/svc/Dockerfile"}},
	}
	for _, tt := range tests {
		var got []string
		for _, a := range Scan(nil, DefaultLimits).BuildArgs(filepath.Join(root, tt.file), tt.text) {
			got = append(got, fmt.Sprintf("%s@%s>%s", a.Name, tt.text[a.Span.Start:a.Span.End], filepath.ToSlash(a.Dockerfile)))
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.file, diff)
		}
	}
}
