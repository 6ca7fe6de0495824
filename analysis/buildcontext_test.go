package analysis

import (
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/patternmatcher"
)

func TestMissingSources(t *testing.T) {
	fsys := fstest.MapFS{
		"go.mod":          {Data: []byte("module x")},
		"cmd/app/main.go": {Data: []byte("package main")},
		"secret.env":      {Data: []byte("x")},
	}
	ignore, err := patternmatcher.New([]string{"*.env"})
	if err != nil {
		t.Fatal(err)
	}
	text := "FROM alpine AS a\n" +
		"COPY go.mod go.sum ./\n" +
		"COPY ./cmd/ /src/cmd\n" +
		"COPY cmd/*/main.go *.txt /src/\n" +
		"COPY secret.env /\n" +
		"COPY --from=a /nothing /x\n" +
		"ADD https://example.com/x.tgz ${MISSING} /x\n" +
		"COPY [\"missing.json\", \"/x\"]\n" +
		"COPY . /all\n"
	ix := Parse(NewDocument(text))
	var got []string
	for _, s := range ix.MissingSources(Span{0, len(text)}, BuildContext{FS: fsys, Ignore: ignore}) {
		got = append(got, ix.Doc.Slice(s))
	}
	want := []string{"go.sum", "*.txt", "missing.json"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("missing (-want +got):\n%s", diff)
	}
}
