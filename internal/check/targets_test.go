package check

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const targetsFile = `# syntax=docker/dockerfile:1
# build compiles the binary
FROM golang:1.23 AS build
RUN go build -o /app .

FROM build
RUN true

# release is the image we ship
FROM alpine AS release
COPY --from=build /app /app
`

func TestListTargets(t *testing.T) {
	root := writeTree(t, map[string]string{"Dockerfile": targetsFile})
	var out, errOut bytes.Buffer
	if code := Main([]string{"--list-targets", root}, &out, &errOut); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	want := "TARGET             DESCRIPTION\n" +
		"build              compiles the binary\n" +
		"release (default)  is the image we ship\n"
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("--list-targets (-want +got):\n%s", diff)
	}

	got := Targets(filepath.Join(root, "Dockerfile"), targetsFile)
	wantJSON := []TargetOutput{
		{Name: "build", Description: "compiles the binary", Base: "golang:1.23", Line: 3},
		{Name: "release", Description: "is the image we ship", Default: true, Base: "alpine", Line: 10},
	}
	if diff := cmp.Diff(wantJSON, got.Targets); diff != "" {
		t.Errorf("Targets (-want +got):\n%s", diff)
	}
}
