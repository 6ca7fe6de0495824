package analysis

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

func TestParseSyntax(t *testing.T) {
	tests := []struct {
		in   string
		want Frontend
	}{
		{"docker/dockerfile:1.4", Frontend{Image: "docker/dockerfile", Known: true, Version: Version{1, 4}}},
		{"docker/dockerfile:1.4.3", Frontend{Image: "docker/dockerfile", Known: true, Version: Version{1, 4}}},
		{"docker/dockerfile:1", Frontend{Image: "docker/dockerfile", Known: true, Version: Newest, Floating: true}},
		{"docker/dockerfile:1-labs", Frontend{Image: "docker/dockerfile", Known: true, Version: Newest, Floating: true, Labs: true}},
		{"docker/dockerfile:1.7-labs", Frontend{Image: "docker/dockerfile", Known: true, Version: Version{1, 7}, Labs: true}},
		{"docker/dockerfile:1.7.0-labs", Frontend{Image: "docker/dockerfile", Known: true, Version: Version{1, 7}, Labs: true}},
		{"docker/dockerfile:1.0-experimental", Frontend{Image: "docker/dockerfile", Known: true, Version: Version{1, 0}, Labs: true}},
		{"docker.io/docker/dockerfile:1", Frontend{Image: "docker.io/docker/dockerfile", Known: true, Version: Newest, Floating: true}},
		{"docker/dockerfile-upstream:master-labs", Frontend{Image: "docker/dockerfile-upstream", Known: true, Version: Newest, Floating: true, Labs: true}},
		{"docker/dockerfile", Frontend{Image: "docker/dockerfile", Known: true, Version: Newest, Floating: true}},
		{"docker/dockerfile:1.4@sha256:443aab4ca21183e069e7d8b2dc68006594f40bddf1b15bbd83f5137bd93e80e2",
			Frontend{Image: "docker/dockerfile", Known: true, Version: Version{1, 4}}},
		// A digest alone cannot be dated; custom frontends have their own versions.
		{"docker/dockerfile@sha256:443aab4ca21183e069e7d8b2dc68006594f40bddf1b15bbd83f5137bd93e80e2", Frontend{Image: "docker/dockerfile"}},
		{"example.com/me/frontend:1.2", Frontend{Image: "example.com/me/frontend"}},
		{"localhost:5000/docker/dockerfile", Frontend{Image: "localhost:5000/docker/dockerfile"}},
		{"docker/dockerfile:2.0", Frontend{Image: "docker/dockerfile"}},
		{"docker/dockerfile:bogus", Frontend{Image: "docker/dockerfile"}},
		{"", Frontend{}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, ParseSyntax(tt.in)); diff != "" {
			t.Errorf("ParseSyntax(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestFrontendHas(t *testing.T) {
	parents := LookupFeature("copy", "parents")
	heredoc := LookupFeature(FeatureHeredoc, "")
	if parents == nil || heredoc == nil {
		t.Fatal("table lacks COPY --parents or heredocs")
	}
	tests := []struct {
		syntax string
		feat   *Feature
		want   bool
	}{
		{"docker/dockerfile:1.4", parents, false},
		{"docker/dockerfile:1.6-labs", parents, false},
		{"docker/dockerfile:1.7-labs", parents, true},
		{"docker/dockerfile:1.19", parents, false},
		{"docker/dockerfile:1.20", parents, true},
		{"docker/dockerfile:1", parents, true},
		{"docker/dockerfile:1.3", heredoc, false},
		{"docker/dockerfile:1.3-labs", heredoc, true},
		{"docker/dockerfile:1.4", heredoc, true},
		{"example.com/frontend:1.0", parents, true},
	}
	for _, tt := range tests {
		if got := ParseSyntax(tt.syntax).Has(tt.feat); got != tt.want {
			t.Errorf("%s has %s = %v, want %v", tt.syntax, tt.feat.Name, got, tt.want)
		}
	}
}

// flagSamples are valid values for each flag, for BuildKit's parser.
var flagSamples = map[string]string{
	"platform": "=linux/amd64", "mount": "=type=cache,target=/c", "network": "=none",
	"security": "=insecure", "device": "=vendor.com/gpu", "keep-git-dir": "=true",
	"checksum": "=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d",
	"chmod":    "=0755", "chown": "=1:1", "link": "", "unpack": "=true", "exclude": "=*.md",
	"from": "=other", "parents": "", "interval": "=5s", "timeout": "=5s",
	"start-period": "=5s", "start-interval": "=5s", "retries": "=3",
}

// TestFeaturesAcceptedByBuildKit checks every flag of the table against
// BuildKit's own flag parsing (its mainline build has them all), and that
// the check can fail: a flag BuildKit does not know is rejected.
func TestFeaturesAcceptedByBuildKit(t *testing.T) {
	line := func(f Feature, flag string) string {
		switch f.Cmd {
		case "from":
			return "FROM " + flag + " alpine"
		case "run":
			return "RUN " + flag + " true"
		case "healthcheck":
			return "HEALTHCHECK " + flag + " CMD true"
		}
		return strings.ToUpper(f.Cmd) + " " + flag + " src /dst"
	}
	parse := func(src string) error {
		res, err := parser.Parse(strings.NewReader(src))
		if err != nil {
			return err
		}
		_, err = instructions.ParseInstruction(res.AST.Children[0])
		return err
	}
	for _, f := range Features {
		if f.Flag == "" {
			continue
		}
		sample, ok := flagSamples[f.Flag]
		if !ok {
			t.Errorf("no sample value for %s", f.Name)
			continue
		}
		if err := parse(line(f, "--"+f.Flag+sample)); err != nil {
			t.Errorf("BuildKit rejects %s: %v", f.Name, err)
		}
		if err := parse(line(f, "--"+f.Flag+"-nosuch"+sample)); err == nil || !strings.Contains(err.Error(), "unknown flag") {
			t.Errorf("BuildKit accepts --%s-nosuch on %s: %v", f.Flag, f.Cmd, err)
		}
	}
}

// TestFormsAcceptedByBuildKit checks that the current BuildKit accepts the
// versioned forms of the table, and that the check can fail.
func TestFormsAcceptedByBuildKit(t *testing.T) {
	forms := map[string]string{
		FeatureHeredoc:       "RUN <<EOF\ntrue\nEOF",
		FeatureSecretEnv:     "RUN --mount=type=secret,id=t,env=TOKEN true",
		FeatureOnbuildFrom:   "ONBUILD COPY --from=other /a /b",
		FeatureChmodSymbolic: "COPY --chmod=u+x a /b",
	}
	parse := func(src string) error {
		res, err := parser.Parse(strings.NewReader("FROM alpine\n" + src + "\n"))
		if err != nil {
			return err
		}
		c, err := instructions.ParseInstruction(res.AST.Children[1])
		if err != nil {
			return err
		}
		if run, ok := c.(*instructions.RunCommand); ok {
			return run.Expand(func(w string) (string, error) { return w, nil })
		}
		return nil
	}
	for _, f := range Features {
		if f.Flag != "" || f.Name == FeatureCheck {
			continue
		}
		src, ok := forms[f.Name]
		if !ok {
			t.Errorf("no sample for %s", f.Name)
			continue
		}
		if err := parse(src); err != nil {
			t.Errorf("BuildKit rejects %s: %v", f.Name, err)
		}
	}
	if err := parse("RUN --mount=type=secret,id=t,nosuch=TOKEN true"); err == nil {
		t.Error("BuildKit accepts an unknown mount key: the check cannot fail")
	}
}
