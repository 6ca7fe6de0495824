package check

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// encoderJSON is what `stagehand check --format json` wrote before
// writeJSON: encoding/json's Encoder, indenting by two spaces.
func encoderJSON(t testing.TB, all []Finding) []byte {
	if all == nil {
		all = []Finding{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(all); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func checkWriteJSON(t testing.TB, all []Finding) {
	var got bytes.Buffer
	if err := writeJSON(&got, all); err != nil {
		t.Fatal(err)
	}
	if want := encoderJSON(t, all); !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("writeJSON wrote\n%s\nencoding/json writes\n%s", got.Bytes(), want)
	}
}

// awkward are strings encoding/json escapes: quotes, backslashes, control
// characters, HTML's <, > and &, U+2028, U+2029, invalid UTF-8.
var awkward = []string{"", "plain", `say "hi"`, `C:\path`, "tab\there\nnew\rret\bbs\fff", "\x00\x01\x1f\x7f",
	"<b>&amp;</b>", "line\u2028para\u2029end", "bad \xff\xfe utf-8 \xe2\x82", "é ü 日本 🐳", "\u2027\u202a"}

// TestWriteJSONMatchesEncoder holds writeJSON to encoding/json over every
// finding of the corpus, no findings, and findings whose strings and
// other targets take every escape and shape.
func TestWriteJSONMatchesEncoder(t *testing.T) {
	dir := testgen.RequireCorpus(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var corpus []Finding
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		text, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		corpus = append(corpus, FileWithConfig(p, string(text), nil)...)
	}
	if len(corpus) < 500 {
		t.Fatalf("%d findings over the corpus: want more", len(corpus))
	}
	checkWriteJSON(t, corpus)
	checkWriteJSON(t, nil)
	checkWriteJSON(t, []Finding{})
	var odd []Finding
	for i, s := range awkward {
		f := Finding{Path: s, Line: i, Column: -i, EndLine: 1 << 40, EndColumn: 0, Severity: s, Rule: s, Message: s, URL: s}
		for range i % 3 {
			f.OtherTargets = append(f.OtherTargets, Site{File: s, Line: i, Stage: s, Source: s})
		}
		odd = append(odd, f)
		checkWriteJSON(t, []Finding{f})
	}
	checkWriteJSON(t, odd)
}

func FuzzWriteJSON(f *testing.F) {
	for _, s := range awkward {
		f.Add(s, s, 3)
	}
	f.Fuzz(func(t *testing.T, msg, file string, n int) {
		fd := Finding{Path: file, Line: n, Message: msg, Rule: "R", URL: msg}
		for range n & 3 {
			fd.OtherTargets = append(fd.OtherTargets, Site{File: file, Line: n, Stage: msg})
		}
		checkWriteJSON(t, []Finding{fd, {Message: file}})
	})
}
