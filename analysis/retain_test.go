package analysis

import (
	"runtime"
	"strings"
	"testing"
	"weak"
)

// TestOldVersionsCollected types into a document and checks that the
// versions left behind are collected: what a version carries over from the
// one before (its model seed, its shell reads) must not hold that version
// itself, or a typing session keeps every version it has seen.
func TestOldVersionsCollected(t *testing.T) {
	text := "FROM golang:1.22 AS build\n# a comment\nRUN apt-get update && apt-get install -y git\nRUN go build -o /app .\n" +
		"FROM alpine\nRUN apk add --no-cache ca-certificates\nCOPY --from=build /app /app\n"
	at := strings.Index(text, "comment") + len("comment")
	ix := Parse(NewDocument(text))
	var old []weak.Pointer[Index]
	for v := range 12 {
		// What the features and rules ask of each version.
		ix.Model()
		for i := range ix.Len() {
			if n := ix.Node(i); n.Cmd == "run" {
				ix.ShellCommands(n)
				ix.installsOf(i)
			}
		}
		old = append(old, weak.Make(ix))
		e := Edit{Span: Span{Start: at + v, End: at + v}, Text: "x"}
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		ix = ix.Update(doc, e)
	}
	ix.Model()
	runtime.GC()
	runtime.GC()
	kept := 0
	for _, p := range old[:len(old)-1] { // the last may be read by ix
		if p.Value() != nil {
			kept++
		}
	}
	if kept > 0 {
		t.Errorf("%d of %d earlier versions still reachable from the newest", kept, len(old)-1)
	}
	runtime.KeepAlive(ix)
}
