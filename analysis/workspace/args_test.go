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
