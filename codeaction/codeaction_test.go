package codeaction

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/safety"
)

// act returns the action with the given ID prefix at the first match of at
// in text, applied, or fails.
func act(t *testing.T, text, at, id string) (string, *Action) {
	t.Helper()
	return actIn(t, analysis.BuildContext{}, text, at, id)
}

// actIn is act with a build context.
func actIn(t *testing.T, ctx analysis.BuildContext, text, at, id string) (string, *Action) {
	t.Helper()
	doc := analysis.NewDocument(text)
	ix := analysis.Parse(doc)
	off := strings.Index(text, at)
	if off < 0 {
		t.Fatalf("%q not in text", at)
	}
	acts, skips := Actions(context.Background(), &Request{Index: ix, Span: analysis.Span{Start: off, End: off}, Context: ctx})
	for i := range acts {
		if strings.HasPrefix(acts[i].ID, id) {
			edits, err := acts[i].Resolve()
			if err != nil {
				t.Fatal(err)
			}
			out, err := Apply(doc, edits)
			if err != nil {
				t.Fatal(err)
			}
			return out, &acts[i]
		}
	}
	t.Fatalf("no action %s at %q; skips: %+v", id, at, skips)
	return "", nil
}

func noAction(t *testing.T, text, at, id string) {
	t.Helper()
	doc := analysis.NewDocument(text)
	off := strings.Index(text, at)
	acts, _ := Actions(context.Background(), &Request{Index: analysis.Parse(doc), Span: analysis.Span{Start: off, End: off}})
	for _, a := range acts {
		if strings.HasPrefix(a.ID, id) {
			t.Errorf("unexpected action %q at %q", a.Title, at)
		}
	}
}

func TestSplitStage(t *testing.T) {
	const in = "FROM alpine AS app\nARG V=1\nRUN echo a\nRUN echo $V\n\nFROM alpine\nCOPY --from=0 /x /x\nCOPY --from=app /y /y\n"
	got, _ := act(t, in, "RUN echo $V", "splitStage")
	want := "FROM alpine AS app-setup\nARG V=1\nRUN echo a\n\nFROM app-setup AS app\nRUN echo $V\n\nFROM alpine\nCOPY --from=1 /x /x\nCOPY --from=app /y /y\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if err := safety.Check(analysis.NewDocument(in), analysis.NewDocument(got), safety.Intended{NewRefs: 1, Added: []string{}}); err != nil {
		t.Error(err)
	}
	// The second part inherits the ARG values of the first, as BuildKit
	// does: declaring a self-referring ARG again would change its value.
	const selfRef = "FROM alpine AS app\nARG V=1\nARG V=${V}x\nRUN echo a\nRUN echo $V\n"
	got, _ = act(t, selfRef, "RUN echo $V", "splitStage")
	if err := safety.Check(analysis.NewDocument(selfRef), analysis.NewDocument(got), safety.Intended{NewRefs: 1}); err != nil {
		t.Errorf("%s\n%v", got, err)
	}
	noAction(t, "FROM alpine\nONBUILD RUN x\nRUN a\nRUN b\n", "RUN b", "splitStage")
	noAction(t, "FROM alpine\nRUN a\n", "RUN a", "splitStage")
	noAction(t, "FROM alpine\nCMD [\"x\"]\nRUN a\nENTRYPOINT [\"y\"]\n", "RUN a", "splitStage")
}

func TestReorderLayers(t *testing.T) {
	const in = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nENV NODE_ENV=production\nRUN npm run build\nEXPOSE 3000\nCMD [\"node\", \"dist/main.js\"]\n"
	ctx := analysis.BuildContext{FS: fstest.MapFS{"package.json": {Data: []byte("{}")}, "package-lock.json": {}}}
	got, _ := actIn(t, ctx, in, "RUN npm ci", "reorderLayers")
	want := "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nENV NODE_ENV=production\nRUN npm run build\nEXPOSE 3000\nCMD [\"node\", \"dist/main.js\"]\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	added := "copy package.json package-lock.json ./"
	if err := safety.Check(analysis.NewDocument(in), analysis.NewDocument(got), safety.Intended{Added: []string{added}, Context: ctx}); err != nil {
		t.Error(err)
	}
	noAction(t, "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm run build && npm ci\n", "RUN", "reorderLayers")
	noAction(t, "FROM node:20\nCOPY . .\nUSER node\nRUN npm ci\n", "RUN", "reorderLayers")
}

func TestBuildRuntime(t *testing.T) {
	const in = "FROM golang:1.22\nWORKDIR /src\nENV CGO_ENABLED=0\nCOPY . .\nRUN go build -o /out/app ./cmd/app\nEXPOSE 8080\nCMD [\"/out/app\"]\n"
	if _, a := act(t, in, "RUN go", "buildRuntime:gcr.io/distroless/static"); !a.Preferred {
		t.Error("distroless/static (CA certificates) is not preferred")
	}
	got, a := act(t, in, "RUN go", "buildRuntime:scratch")
	if a.Preferred || !strings.Contains(a.Title, "CA certificates") {
		t.Errorf("scratch: preferred %v, title %q", a.Preferred, a.Title)
	}
	want := "FROM golang:1.22 AS build\nWORKDIR /src\nENV CGO_ENABLED=0\nCOPY . .\nRUN go build -o /out/app ./cmd/app\n\nFROM scratch\nWORKDIR /src\nENV CGO_ENABLED=0\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /out/app /out/app\nEXPOSE 8080\nCMD [\"/out/app\"]\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if err := safety.Check(analysis.NewDocument(in), analysis.NewDocument(got), safety.Intended{NewRefs: 2, SkipClosure: true}); err != nil {
		t.Error(err)
	}
	noAction(t, "FROM golang:1.22\nCOPY . .\nRUN go build ./...\n", "RUN", "buildRuntime")
	// A user the builder creates does not exist in the runtime base.
	noAction(t, "FROM golang:1.22\nWORKDIR /src\nRUN useradd app\nRUN go build -o /app .\nUSER app\nCMD [\"/app\"]\n", "RUN go", "buildRuntime")
	noAction(t, "FROM golang:1.22\nWORKDIR /src\nRUN CGO_ENABLED=0 go build -o app .\nCMD /src/app\n", "RUN", "buildRuntime:scratch")
}

// TestCacheMountDerivedReason checks the reason a RUN of a stage built on
// another gets no cache mount: not that it does not run as root (it
// does), but where the mount is offered instead.
func TestCacheMountDerivedReason(t *testing.T) {
	ix := analysis.Parse(analysis.NewDocument("FROM debian:12 AS b\nRUN apt-get update && apt-get install -y curl\n\nFROM b\nRUN apt-get update && apt-get install -y git\n"))
	n := ix.Node(3)
	acts, why := cacheMount(context.Background(), &Request{Index: ix, Span: analysis.Span{Start: n.Start, End: n.Start}})
	if len(acts) != 0 || !strings.Contains(why, "built on stage 0") {
		t.Errorf("got %d actions, reason %q; want none, the reason naming stage 0", len(acts), why)
	}
}

// TestSplitTitle checks the split's title names the stage once: "Split
// stage 0 (golang:1.23)", not "Split stage stage 0 (golang:1.23)".
func TestSplitTitle(t *testing.T) {
	for src, want := range map[string]string{
		"FROM golang:1.23\nWORKDIR /src\nRUN true\n":          "Split stage 0 (golang:1.23) before line 3",
		"FROM golang:1.23 AS build\nWORKDIR /src\nRUN true\n": "Split stage build before line 3",
	} {
		ix := analysis.Parse(analysis.NewDocument(src))
		n := ix.Node(2)
		acts, why := splitStage(&Request{Index: ix, Span: analysis.Span{Start: n.Start, End: n.Start}})
		if len(acts) != 1 || acts[0].Title != want {
			t.Errorf("%q: %v (%s), want %q", src, acts, why, want)
		}
	}
}
