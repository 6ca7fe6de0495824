package analysis

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// joinContinuations removes what BuildKit removes when it joins a logical
// line: the escape token ending a line, the line break, and any comment or
// blank lines that follow.
func joinContinuations(s string, esc byte) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	re := regexp.MustCompile(regexp.QuoteMeta(string(esc)) + `[ \t]*\r*\n(?:[ \t]*(?:#[^\n]*)?\r*\n)*`)
	return re.ReplaceAllString(s, "")
}

// checkSpans returns a description of the first span in ix that lies outside
// its document or does not slice back to the text it names.
func checkSpans(ix *Index) string {
	doc := ix.Doc
	inside := func(what string, s Span) string {
		if s.Start < 0 || s.End < s.Start || s.End > doc.Len() {
			return fmt.Sprintf("%s span %v outside document of %d bytes", what, s, doc.Len())
		}
		return ""
	}
	same := func(what string, s Span, v string) string {
		if e := inside(what, s); e != "" {
			return e
		}
		if got := joinContinuations(doc.Slice(s), ix.Escape); got != v {
			return fmt.Sprintf("%s span %v slices to %q, want %q", what, s, got, v)
		}
		return ""
	}
	for i := 0; i < ix.Len(); i++ {
		n := ix.Node(i)
		if e := inside("instruction", n.Span()); e != "" {
			return e
		}
		if e := same("keyword", n.Abs(n.Keyword.Span), n.Keyword.Value); e != "" {
			return e
		}
		for _, f := range n.Flags {
			if e := inside("flag", n.Abs(f.Span)); e != "" {
				return e
			}
			if e := inside("flag value", n.Abs(f.Value.Span)); e != "" {
				return e
			}
		}
		for _, a := range n.Args {
			if e := inside("argument", n.Abs(a.Span)); e != "" {
				return e
			}
		}
		for _, h := range n.Heredocs() {
			if e := inside("heredoc", n.Abs(h.Body)); e != "" {
				return e
			}
		}
		for _, d := range n.Decls {
			if e := inside("declaration", n.Abs(d.Name.Span)); e != "" {
				return e
			}
		}
		for _, u := range n.Uses {
			if e := inside("variable use", n.Abs(u.Span)); e != "" {
				return e
			}
		}
		for _, er := range n.Errors() {
			if e := inside("error", n.Abs(er.Span)); e != "" {
				return e
			}
		}
		for _, r := range n.Refs {
			if e := inside("reference", n.Abs(r.Value.Span)); e != "" {
				return e
			}
		}
	}
	for _, st := range ix.Stages().All() {
		if e := inside("stage", st.Span); e != "" {
			return e
		}
		if e := same("base", st.BaseSpan, st.Base); st.Base != "" && e != "" {
			return e
		}
		if e := same("stage name", st.NameSpan, st.Name); st.Name != "" && e != "" {
			return e
		}
	}
	for _, r := range ix.Refs() {
		if e := inside("reference", r.Span); e != "" {
			return e
		}
	}
	for _, e := range ix.Errors() {
		if s := inside("error", e.Span); s != "" {
			return s
		}
	}
	return ""
}

func FuzzIndex(f *testing.F) {
	for _, s := range []string{
		seedDockerfile,
		"FROM a\r\nRUN x \\\r\n  y\r\n",
		"\uFEFF# escape=`\nFROM mcr.microsoft.com/windows AS w\nRUN dir `\n  c:\\\nCOPY --from=w C:\\a C:\\b\n",
		"FROM a AS b\nRUN <<E1 <<-E2\nx\nE1\n\ty\n\tE2\nFROM b\n",
		"FROM\n",
		"RUNN x\nFROM a AS 1bad\nCOPY --fromm=a . .\n",
		"FROM a\nCOPY --from=\"b\" . .\nRUN --mount=type=bind,\"from=c\",target=/t true\n",
		"FROM \xff\xfe AS é\nENV K=\"v w\" L=${K:-x}\n",
		"FROM a\nENV X=${A:-${B:+\"$C\"}} Y=${D//x/'$E'}$$F\nRUN echo ${A:-${B\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ix := Parse(NewDocument(text))
		if e := checkSpans(ix); e != "" {
			t.Fatalf("%q: %s", text, e)
		}
	})
}
