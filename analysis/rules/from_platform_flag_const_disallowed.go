package rules

import (
	"strings"
)

var FromPlatformFlagConstDisallowed = register(&Rule{
	Name:     "FromPlatformFlagConstDisallowed",
	Summary:  "FROM --platform flag should not use a constant value.",
	Severity: Warning,
	BuildKit: true,
	Doc: `` + "`FROM --platform=linux/amd64`" + ` pins the stage to one platform whatever the build
targets, so a multi-platform build silently gets amd64 binaries in its arm64
image. Use ` + "`$BUILDPLATFORM`" + ` or ` + "`$TARGETPLATFORM`" + `. BuildKit accepts the constant when the
stage's name mentions the platform's OS or architecture (` + "`AS build-amd64`" + `), a sign it
is deliberate.`,
	Bad: `FROM --platform=linux/amd64 golang:1.23 AS build
`,
	Good: `FROM --platform=$BUILDPLATFORM golang:1.23 AS build
`,
	Run:   runFromPlatformFlagConstDisallowed,
	Scope: PerStage,
})

var knownOS = map[string]bool{"linux": true, "windows": true, "darwin": true, "freebsd": true, "netbsd": true, "openbsd": true, "solaris": true, "illumos": true, "aix": true, "android": true, "ios": true, "js": true, "wasip1": true, "plan9": true, "dragonfly": true}

var archAliases = map[string]string{"x86_64": "amd64", "x86-64": "amd64", "aarch64": "arm64", "armhf": "arm", "armel": "arm", "i386": "386", "i686": "386"}

func runFromPlatformFlagConstDisallowed(p *Pass) {
	ix := p.Index
	for _, st := range p.wantedStages() {
		n := ix.Node(st.First)
		f := n.Flag("platform")
		if f == nil || f.Value.Value == "" || strings.Contains(f.Value.Value, "$") {
			continue
		}
		v := f.Value.Value
		parts := strings.Split(strings.ToLower(v), "/")
		if len(parts) > 3 || !knownOS[parts[0]] {
			continue
		}
		os, arch := parts[0], "amd64"
		if len(parts) > 1 {
			arch = parts[1]
			if a, ok := archAliases[arch]; ok {
				arch = a
			}
		}
		name := strings.ToLower(st.Name)
		if strings.Contains(name, os) || strings.Contains(name, arch) {
			continue
		}
		p.Reportf(n.Abs(f.Span), nil, "FROM --platform flag should not use constant value %q", v)
	}
}
