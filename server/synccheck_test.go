package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// checkSyncJSON is checkSync as it was written with encoding/json: the
// reference TestCheckSyncAsJSON compares it with.
func checkSyncJSON(method string, params []byte) error {
	var p struct {
		TextDocument *struct {
			URI        *string `json:"uri"`
			LanguageID *string `json:"languageId"`
			Version    *int32  `json:"version"`
			Text       *string `json:"text"`
		} `json:"textDocument"`
		ContentChanges []struct {
			Range json.RawMessage `json:"range"`
			Text  *string         `json:"text"`
		} `json:"contentChanges"`
	}
	if err := json.Unmarshal(params, &p); err != nil {
		return err
	}
	td := p.TextDocument
	switch {
	case td == nil || td.URI == nil:
		return errors.New("no textDocument.uri")
	case method == protocol.MethodTextDocumentDidOpen && (td.LanguageID == nil || td.Version == nil || td.Text == nil):
		return errors.New("textDocument lacks its languageId, version or text")
	case method != protocol.MethodTextDocumentDidChange:
		return nil
	case td.Version == nil:
		return errors.New("no textDocument.version")
	case p.ContentChanges == nil:
		return errors.New("no contentChanges")
	}
	for i, c := range p.ContentChanges {
		if c.Text == nil {
			return fmt.Errorf("change %d has no text", i)
		}
		if c.Range == nil {
			continue
		}
		var r struct {
			Start, End *struct{ Line, Character json.RawMessage }
		}
		if err := json.Unmarshal(c.Range, &r); err != nil || r.Start == nil || r.End == nil {
			return fmt.Errorf("change %d: range %s is not a range", i, truncate(c.Range))
		}
		for _, v := range []json.RawMessage{r.Start.Line, r.Start.Character, r.End.Line, r.End.Character} {
			if _, err := strconv.ParseUint(string(v), 10, 32); err != nil {
				return fmt.Errorf("change %d: range %s: a position is not two unsigned 32-bit integers", i, truncate(c.Range))
			}
		}
	}
	return nil
}

// misspelled refuses params holding, in an object checkSync reads, a
// member whose name differs from one of syncNames in case only (inside a
// change's range only for a didChange: only its changes are checked).
func misspelled(method string, params []byte) error {
	var walk func(v any) error
	walk = func(v any) error {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				for _, n := range syncNames {
					if k != n && strings.EqualFold(k, n) {
						return fmt.Errorf("%q is not spelled %q", k, n)
					}
				}
				if k == "range" && method != protocol.MethodTextDocumentDidChange {
					continue
				}
				if err := walk(x); err != nil {
					return err
				}
			}
		case []any:
			for _, x := range v {
				if err := walk(x); err != nil {
					return err
				}
			}
		}
		return nil
	}
	var v any
	if err := json.Unmarshal(params, &v); err != nil {
		return err
	}
	return walk(v)
}

// TestCheckSyncAsProtocol checks that every didChange checkSync lets
// through is read by protocol (as the server reads it) with each change
// partial exactly when it has a range, and the range encoding/json reads:
// protocol reads a change whose range, rangeLength or names it cannot
// read as whole text (a `Range`, a rangeLength of -3, or a bad range
// followed by a good one replaced the document).
func TestCheckSyncAsProtocol(t *testing.T) {
	good := `{"start":{"line":1,"character":2},"end":{"line":3,"character":4}}`
	bad := `{"start":{"line":-1,"character":2},"end":{"line":3,"character":4}}`
	changes := []string{
		`{"range":` + good + `,"text":"x"}`,
		`{"Range":` + good + `,"text":"x"}`,
		`{"RANGE":` + good + `,"text":"x"}`,
		`{"range":` + good + `,"rangeLength":-3,"text":"x"}`,
		`{"range":` + good + `,"rangeLength":"1","text":"x"}`,
		`{"range":` + good + `,"rangeLength":1.5,"text":"x"}`,
		`{"range":` + good + `,"rangeLength":null,"text":"x"}`,
		`{"range":` + good + `,"rangeLength":7,"text":"x"}`,
		`{"range":` + bad + `,"range":` + good + `,"text":"x"}`,
		`{"range":` + good + `,"range":` + bad + `,"text":"x"}`,
		`{"range":{"start":{"line":-1,"character":2},"start":{"line":1,"character":2},"end":{"line":3,"character":4}},"text":"x"}`,
		`{"range":{"start":{"line":1,"line":-1,"character":2},"end":{"line":3,"character":4}},"text":"x"}`,
		`{"range":{"start":{"line":"1","line":1,"character":2},"end":{"line":3,"character":4}},"text":"x"}`,
		`{"range":{"Start":{"line":1,"character":2},"end":{"line":3,"character":4}},"text":"x"}`,
		`{"range":{"start":{"Line":1,"character":2},"end":{"line":3,"character":4}},"text":"x"}`,
		`{"range":` + good + `,"Text":"x"}`,
		`{"text":"x"}`,
		`{"text":"x","rangeLength":-1}`,
	}
	passed := 0
	for _, c := range changes {
		params := `{"textDocument":{"uri":"file:///a/Dockerfile","version":2},"contentChanges":[` + c + `]}`
		if checkSync(protocol.MethodTextDocumentDidChange, []byte(params)) != nil {
			continue
		}
		passed++
		var p protocol.DidChangeTextDocumentParams
		if err := protocol.Unmarshal([]byte(params), &p); err != nil {
			t.Errorf("%s: checkSync lets it through, protocol refuses it: %v", c, err)
			continue
		}
		var ref struct {
			Range *protocol.Range `json:"range"`
		}
		if err := json.Unmarshal([]byte(c), &ref); err != nil {
			t.Errorf("%s: checkSync lets it through, encoding/json refuses it: %v", c, err)
			continue
		}
		partial, isPartial := p.ContentChanges[0].(*protocol.TextDocumentContentChangePartial)
		switch {
		case isPartial != (ref.Range != nil):
			t.Errorf("%s: checkSync lets it through; protocol reads it as partial %v, encoding/json has a range %v", c, isPartial, ref.Range != nil)
		case isPartial && partial.Range != *ref.Range:
			t.Errorf("%s: checkSync lets it through; protocol reads range %v, encoding/json %v", c, partial.Range, *ref.Range)
		}
	}
	if passed < 4 {
		t.Errorf("checkSync let %d well-formed changes through, want at least 4", passed)
	}
}

// TestCheckSyncAsJSON checks that checkSync refuses exactly the params the
// encoding/json reading refused, over well-formed and malformed opens,
// changes and closes.
func TestCheckSyncAsJSON(t *testing.T) {
	td := []string{``, `"textDocument":null`, `"textDocument":42`, `"textDocument":{}`,
		`"textDocument":{"uri":"file:///a/Dockerfile","version":3}`,
		`"textDocument":{"uri":"file:///a/Dockerfile","version":null}`,
		`"textDocument":{"uri":"file:///a/Dockerfile","version":2.5}`,
		`"textDocument":{"uri":"file:///a/Dockerfile","version":4294967296}`,
		`"textDocument":{"uri":"file:///a/Dockerfile","version":"3"}`,
		`"textDocument":{"uri":null,"version":3}`,
		`"textDocument":{"uri":42,"version":3}`,
		`"textDocument":{"URI":"file:///a/Dockerfile","Version":3}`,
		`"textDocument":{"\u0075ri":"file:///a/Dockerfile","vers\u0069on":3}`,
		`"text\u0044ocument":{"uri":"file:///a/Dockerfile","languageId":"dockerfile","version":1,"te\u0078t":"FROM a\n"}`,
		`"textDocument":{"uri":"file:///a/Dockerfile","languageId":"dockerfile","version":1,"text":"FROM a\n"}`,
		`"textDocument":{"uri":"file:///a/Dockerfile","languageId":"dockerfile","version":1,"text":null}`,
		`"textDocument":{"uri":"file:///a/Dockerfile","languageId":7,"version":1,"text":"x"}`,
		`"textDocument":{"uri":"file:///a/Dockerfile","version":1,"extra":{"a":[1,{"b":null}]}}`,
		`"textDocument":null,"textDocument":{"uri":"file:///a/Dockerfile","version":1}`,
	}
	pos := []string{`{"line":0,"character":0}`, `{"line":-1,"character":0}`, `{"line":4294967296,"character":0}`,
		`{"line":1.5,"character":0}`, `{"line":"1","character":0}`, `{"line":1}`, `{"line":null,"character":1}`,
		`null`, `42`, `{"Line":2,"Character":3}`, `{"line":1e3,"character":0}`, `{"line":2,"character":3,"x":[]}`}
	ranges := []string{`null`, `42`, `[]`, `"x"`, `{}`, `{"start":null,"end":null}`}
	for _, s := range pos[:4] {
		for _, e := range pos {
			ranges = append(ranges, `{"start":`+s+`,"end":`+e+`}`)
			ranges = append(ranges, `{"end":`+s+`,"start":`+e+`}`)
		}
	}
	changes := []string{``, `"contentChanges":null`, `"contentChanges":42`, `"contentChanges":[]`,
		`"contentChanges":[null]`, `"contentChanges":[42]`, `"contentChanges":[{}]`,
		`"contentChanges":[{"text":"FROM b\n"}]`, `"contentChanges":[{"text":null}]`, `"contentChanges":[{"text":42}]`,
		`"contentChanges":[{"text":"x","rangeLength":3}]`}
	for _, r := range ranges {
		changes = append(changes, `"contentChanges":[{"range":`+r+`,"text":"# x"}]`,
			`"contentChanges":[{"text":"# x","range":`+r+`}]`,
			`"contentChanges":[{"range":`+r+`}]`,
			`"contentChanges":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"text":""},{"range":`+r+`,"text":"y"}]`)
	}
	var cases []string
	for _, a := range td {
		for _, b := range changes {
			cases = append(cases, "{"+strings.Trim(a+","+b, ",")+"}")
		}
	}
	cases = append(cases, ``, `null`, `42`, `[]`, `"x"`, `{`, `{"textDocument":{"uri":"u","version":1},"contentChanges":[]} 42`,
		`{"textDocument":{"uri":"u","version":1},"contentChanges":[{"text":"\xff"}]}`, `{"textDocument":{"uri":"u","version":1},"contentChanges":[{"text":"`+"\xff"+`"}]}`)
	refused := 0
	for _, params := range cases {
		for _, m := range []string{protocol.MethodTextDocumentDidOpen, protocol.MethodTextDocumentDidChange, protocol.MethodTextDocumentDidClose} {
			want := checkSyncJSON(m, []byte(params))
			if want == nil {
				want = misspelled(m, []byte(params))
			}
			got := checkSync(m, []byte(params))
			if (got == nil) != (want == nil) {
				t.Errorf("%s %s: checkSync = %v, encoding/json's = %v", m, params, got, want)
			}
			if want != nil {
				refused++
			}
		}
	}
	t.Logf("%d params, %d refusals agree", len(cases)*3, refused)
}

// BenchmarkCheckSync measures checkSync on a keystroke's didChange, with
// encoding/json's reading for comparison.
func BenchmarkCheckSync(b *testing.B) {
	params := []byte(`{"textDocument":{"uri":"file:///work/big/Dockerfile","version":1234},"contentChanges":[{"range":{"start":{"line":10500,"character":12},"end":{"line":10500,"character":12}},"rangeLength":0,"text":"a"}]}`)
	for _, f := range []struct {
		name  string
		check func(string, []byte) error
	}{{"tokens", checkSync}, {"encoding-json", checkSyncJSON}} {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := f.check(protocol.MethodTextDocumentDidChange, params); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
