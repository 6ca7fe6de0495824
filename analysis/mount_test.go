package analysis

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/internal/oracle"
)

// ourMounts reads the mounts of the RUN in text with the one mount reader,
// in BuildKit's terms, and checks that every span the reader calls exact
// holds the text it names.
func ourMounts(t *testing.T, text string) ([]oracle.Mount, bool) {
	ix := Parse(NewDocument(text))
	var out []oracle.Mount
	csvErr := false
	for i := 0; i < ix.Len(); i++ {
		n := ix.Node(i)
		if n.Cmd != "run" {
			continue
		}
		for _, m := range ix.Mounts(n) {
			if m.Err != nil {
				csvErr = true
				continue
			}
			get := func(keys ...string) string { v, _ := m.Value(keys...); return v }
			out = append(out, oracle.Mount{Type: m.Type(), From: get("from"), Source: get("source", "src"), Target: get("target", "dst", "destination"), ID: get("id")})
			if !m.Exact {
				if fs := n.Abs(n.Flags[0].Value.Span); !strings.ContainsAny(ix.Doc.Slice(fs), "\"'") && len(n.Flags) == 1 {
					t.Errorf("%q: a mount with no quotes is not placed exactly", text)
				}
				continue
			}
			for _, f := range m.Fields {
				for _, tok := range []Token{f.Key, f.Value} {
					if raw := joinContinuations(ix.Doc.Slice(tok.Span), ix.Escape); !strings.ContainsAny(raw, "\"'"+string(ix.Escape)) && raw != tok.Value {
						t.Errorf("%q: span %v holds %q, the field says %q", text, tok.Span, raw, tok.Value)
					}
				}
			}
		}
		// The scanner's from= reference is the field's value, placed alike.
		for _, r := range n.Refs {
			if raw := joinContinuations(ix.Doc.Slice(n.Abs(r.Value.Span)), ix.Escape); r.Kind == RefMountFrom && !strings.ContainsAny(raw, "\"'"+string(ix.Escape)) && raw != r.Value.Value {
				t.Errorf("%q: from= reference span %v holds %q, want %q", text, n.Abs(r.Value.Span), raw, r.Value.Value)
			}
		}
	}
	return out, csvErr
}

// continuedVariants returns whole RUN instructions with the --mount value
// v continued over lines, as BuildKit joins them: after each comma, with
// blanks after the escape, comment and blank lines inside, a value split
// in two, with the backtick escape and CRLF line ends.
func continuedVariants(v string) []string {
	var out []string
	for _, esc := range []string{"\\", "`"} {
		pre := ""
		if esc == "`" {
			pre = "# escape=`\n"
		}
		vs := []string{
			strings.ReplaceAll(v, ",", ","+esc+"\n"),
			strings.ReplaceAll(v, ",", ","+esc+" \t\n  # note\n\n"),
		}
		if h := len(v) / 2; !strings.ContainsAny(v[h-1:h+1], "\"'"+esc) {
			vs = append(vs, v[:h]+esc+"\n"+v[h:])
		}
		for _, w := range vs {
			text := pre + "RUN --mount=" + w + " true\n"
			out = append(out, text, strings.ReplaceAll(text, "\n", "\r\n"))
		}
	}
	return out
}

// mountVariants returns spellings of one --mount value that BuildKit
// reads differently or the same: quoted at the flag, fields quoted as CSV,
// spaces after commas, `=` in values, upper-case keys, no type, stray
// commas and quotes.
func mountVariants(v string) []string {
	fields := strings.Split(v, ",")
	out := []string{
		`"` + v + `"`,
		`'` + v + `'`,
		v + ",",
		strings.ReplaceAll(v, ",", ",,"),
		strings.ReplaceAll(v, ",", ", "),
		strings.ToUpper(v[:1]) + v[1:],
		v + ",target=/a=b",
		v + ",id=x=y",
		`'"` + strings.ReplaceAll(fields[0], `"`, `""`) + `"` + strings.TrimPrefix(v, fields[0]) + `'`,
		`'` + v + `,"target=/q""x"'`,
		`'` + v + `,target=/a"b'`,
		`'` + v + `,"target=/open'`,
		v + `,"target=/c,d"`,
		`'` + v + `,"target=/c,d"'`,
	}
	var noType []string
	for _, f := range fields {
		if !strings.HasPrefix(strings.ToLower(f), "type=") {
			noType = append(noType, f)
		}
	}
	if len(noType) > 0 && len(noType) < len(fields) {
		out = append(out, strings.Join(noType, ","))
	}
	return out
}

// TestMountsAgreeWithBuildKit compares the one mount reader with
// BuildKit's parseMount over every RUN --mount of the corpus and generated
// variants: the mounts' type, from, source, target and id, and which
// values BuildKit rejects as CSV.
func TestMountsAgreeWithBuildKit(t *testing.T) {
	corpus := sample(t)
	var values []string
	for _, text := range corpus {
		ix := Parse(NewDocument(text))
		for i := 0; i < ix.Len(); i++ {
			n := ix.Node(i)
			if n.Cmd != "run" {
				continue
			}
			for _, f := range n.Flags {
				if f.Name.Value == "mount" && f.HasValue && !strings.ContainsAny(ix.Doc.Slice(n.Abs(f.Span)), "\r\n\\") {
					values = append(values, ix.Doc.Slice(n.Abs(f.Span))[len("--mount="):])
				}
			}
		}
	}
	slices.Sort(values)
	values = slices.Compact(values)
	// The race run reads one corpus file in ten (sample): 7 values then.
	if least := map[bool]int{false: 50, true: 5}[raceEnabled]; len(values) < least {
		t.Fatalf("only %d --mount values in the corpus", len(values))
	}
	checked, rejected, variants := 0, 0, 0
	var diffs []string
	var compareText func(text, raw string)
	compare := func(raw string) {
		compareText(fmt.Sprintf("RUN --mount=%s true\n", raw), raw)
	}
	compareText = func(text, raw string) {
		want, wantCSV, err := oracle.Mounts(text)
		got, gotCSV := ourMounts(t, text)
		switch {
		case wantCSV != gotCSV:
			diffs = append(diffs, fmt.Sprintf("%s: BuildKit's CSV error %v (%v), ours %v", raw, wantCSV, err, gotCSV))
		case err != nil:
			rejected++
		default:
			checked++
			if d := cmp.Diff(want, got); d != "" {
				diffs = append(diffs, fmt.Sprintf("%s (-BuildKit +ours):\n%s", raw, d))
			}
		}
	}
	for _, v := range values {
		compare(v)
		for _, w := range mountVariants(v) {
			variants++
			compare(w)
		}
		if len(v) > 2 {
			for _, text := range continuedVariants(v) {
				variants++
				compareText(text, text)
			}
		}
	}
	t.Logf("--mount values: %d from the corpus, %d variants; %d compared field by field, %d rejected by BuildKit (CSV errors agree), %d disagreements",
		len(values), variants, checked, rejected, len(diffs))
	for _, d := range diffs[:min(len(diffs), 20)] {
		t.Error(d)
	}
}

// TestReadMountSpans pins the reader's spans and values on the shapes a
// user types.
func TestReadMountSpans(t *testing.T) {
	for _, tc := range []struct {
		flag string // the --mount flag's value as written
		want []string
		err  bool
	}{
		{`type=cache,target=/root/.cache`, []string{"type=cache", "target=/root/.cache"}, false},
		{`"type=bind,from=build"`, []string{"type=bind", "from=build"}, false},
		{`'"from=a""b",target=/x'`, []string{`from=a"b`, "target=/x"}, false},
		{`target=/a=b,ro`, []string{"target=/a=b", "ro"}, false},
		{`'target=/a"b'`, nil, true},
		{`'"target=/x'`, nil, true},
	} {
		text := "RUN --mount=" + tc.flag + " true\n"
		ix := Parse(NewDocument(text))
		ms := ix.Mounts(ix.Node(0))
		if len(ms) != 1 {
			t.Fatalf("%s: %d mounts", tc.flag, len(ms))
		}
		m := ms[0]
		if (m.Err != nil) != tc.err {
			t.Errorf("%s: error %v, want one: %v", tc.flag, m.Err, tc.err)
		}
		var got []string
		for _, f := range m.Fields {
			s := f.Key.Value
			if f.HasValue {
				s += "=" + f.Value.Value
			}
			got = append(got, s)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" && !tc.err {
			t.Errorf("%s (-want +got):\n%s", tc.flag, diff)
		}
	}
	// The value of a CSV-quoted field lies inside its quotes.
	text := "RUN --mount='\"from=build\",target=/x' true\n"
	ix := Parse(NewDocument(text))
	m := ix.Mounts(ix.Node(0))[0]
	f, _ := m.Field("from")
	if !m.Exact || ix.Doc.Slice(f.Value.Span) != "build" || ix.Doc.Slice(f.Key.Span) != "from" {
		t.Errorf("exact %v, key %q, value %q", m.Exact, ix.Doc.Slice(f.Key.Span), ix.Doc.Slice(f.Value.Span))
	}
}

// TestMountFromMatchesReadMount holds the quick reading of a mount's from
// field to the one mount reader, over generated values, with spans that
// hold the value's bytes one to one and spans that do not.
func TestMountFromMatchesReadMount(t *testing.T) {
	atoms := []string{"from=a", "FROM=b", "From=", "from", "fRoM=c=d", "type=cache", "target=/x", "from=$X", "froM=é",
		"fro=m", "xfrom=y", "from =z", "\"from=q\"", "from=\"r\"", "", "ro", "frоm=cyr", "from==", "FROM=0"}
	for n := range 4000 {
		var fields []string
		for k := n%4 + n/1000; k >= 0; k-- {
			fields = append(fields, atoms[(n*7+k*13+n/19)%len(atoms)])
		}
		value := strings.Join(fields, ",")
		for _, span := range []Span{{10, 10 + len(value)}, {10, 12 + len(value)}} {
			v := Token{Span: span, Value: value}
			f, ok := ReadMount(v, "", '\\').Field("from")
			want, wantOK := f.Value, ok && f.HasValue
			got, gotOK := mountFrom(v, '\\')
			if gotOK != wantOK || wantOK && got != want {
				t.Fatalf("%q in %v: mountFrom %v %v, ReadMount %v %v", value, span, got, gotOK, want, wantOK)
			}
		}
	}
}

// TestOnbuildMountContinued: the from= of a mount in an ONBUILD trigger
// continued over lines is placed exactly (it used to span the whole flag).
func TestOnbuildMountContinued(t *testing.T) {
	for _, text := range []string{
		"FROM alpine AS build\nFROM alpine AS lib\nONBUILD RUN --mount=type=cache,\\\nfrom=build,target=/c true\nFROM lib\n",
		"FROM alpine AS build\nFROM alpine AS lib\nONBUILD RUN --mount=type=cache,\\  \n  # note\n\nfrom=build,target=/c true\nFROM lib\n",
		"# escape=`\r\nFROM alpine AS build\r\nFROM alpine AS lib\r\nONBUILD RUN --mount=type=cache,`\r\nfrom=build,target=C:\\c true\r\nFROM lib\r\n",
		"FROM alpine AS build\nFROM alpine AS lib\nONBUILD RUN --mount=type=cache,\\\nfrom=bu\\\nild,target=/c true\nFROM lib\n",
		"FROM alpine AS build\nFROM alpine AS lib\nONBUILD RUN --mount=type=cache,from=build true\nFROM lib\n",
	} {
		ix := Parse(NewDocument(text))
		found := false
		for _, r := range ix.Model().Refs() {
			if !r.Onbuild {
				continue
			}
			found = true
			if got := joinContinuations(ix.Doc.Slice(r.Span), ix.Escape); r.Kind != RefMountFrom || got != "build" || r.Target != 0 {
				t.Errorf("%q: trigger reference %v at %v holds %q, target %d", text, r.Kind, r.Span, got, r.Target)
			}
		}
		if !found {
			t.Errorf("%q: no trigger reference", text)
		}
	}
}
