package features

import (
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// Signature describes the instruction being typed: a label listing its
// flags and arguments, and which of them the cursor is on.
type Signature struct {
	Label  string
	Doc    string
	URL    string
	Params []SigParam
	Active int // index into Params, or -1 when the cursor is on none
}

// SigParam is one flag or argument of a Signature; Start and End place it
// in the label, in bytes.
type SigParam struct {
	Start, End int
	Doc        string
}

// SignatureHelp returns the signature of the instruction at off and the
// flag or argument the cursor is on.
func SignatureHelp(ix *analysis.Index, off int) (Signature, bool) {
	n, ok := ix.NodeAt(off)
	if !ok {
		return Signature{}, false
	}
	for _, h := range n.Heredocs() {
		if body := n.Abs(analysis.Span{Start: h.Body.Start, End: h.Terminator.End}); off > body.Start && off <= body.End {
			return Signature{}, false
		}
	}
	// The words as BuildKit reads them: for ONBUILD, once the cursor is
	// past the trigger's keyword, the trigger's own flags and arguments.
	cmd, kw := n.Cmd, n.Abs(n.Keyword.Span)
	var flagWords []word
	for _, f := range n.Flags {
		flagWords = append(flagWords, word{f.Name.Value, n.Abs(f.Span)})
	}
	var argSpans []analysis.Span
	for _, a := range n.Args {
		argSpans = append(argSpans, n.Abs(a.Span))
	}
	json := n.JSON
	if n.Cmd == "onbuild" && len(n.Args) > 0 && off > n.Abs(n.Args[0].Span).End && triggerKeyword(n.Args[0].Value) {
		cmd, kw = strings.ToLower(n.Args[0].Value), n.Abs(n.Args[0].Span)
		flagWords, argSpans = nil, nil
		for _, a := range n.Args[1:] {
			if len(argSpans) == 0 && strings.HasPrefix(a.Value, "--") {
				name, _, _ := strings.Cut(a.Value[2:], "=")
				flagWords = append(flagWords, word{name, n.Abs(a.Span)})
				continue
			}
			argSpans = append(argSpans, n.Abs(a.Span))
		}
		json = len(n.Args) > 1 && strings.HasPrefix(n.Args[1].Value, "[")
	}
	info := analysis.LookupInstruction(cmd)
	if info == nil || len(info.Args) == 0 {
		return Signature{}, false
	}
	args := info.Args
	sig := Signature{Doc: info.Doc, URL: info.URL, Active: -1}
	var b strings.Builder
	b.WriteString(info.Name)
	add := func(label, doc string) {
		b.WriteByte(' ')
		sig.Params = append(sig.Params, SigParam{Start: b.Len(), End: b.Len() + len(label), Doc: doc})
		b.WriteString(label)
	}
	// Only the flags the pinned frontend has, each saying since when.
	flags := ix.Frontend().Available(info)
	for _, f := range flags {
		label := "[--" + f.Name
		if f.Placeholder != "" && !f.Bool {
			label += "=" + f.Placeholder
		}
		doc := f.Doc
		if note := analysis.SinceNote(cmd, f.Name); note != "" {
			doc += " " + note
		}
		add(label+"]", doc)
	}
	for _, a := range args {
		add(a.Label, a.Doc)
	}
	sig.Label = b.String()

	if off <= kw.End {
		return sig, true
	}
	for _, f := range flagWords {
		if f.span.Contains(off) {
			sig.Active = flagParam(flags, f.name)
			return sig, true
		}
	}
	k := 0
	for _, a := range argSpans {
		if a.End < off {
			k++
		}
	}
	if json {
		k = 0
	}
	last := len(args) - 1
	switch {
	case cmd == "copy" || cmd == "add":
		if k >= 1 && k >= len(argSpans)-1 {
			k = 1
		} else {
			k = 0
		}
	case args[last].Variadic || k > last:
		k = min(k, last)
	}
	sig.Active = len(flags) + k
	return sig, true
}

// triggerKeyword reports whether ONBUILD may run the instruction kw.
func triggerKeyword(kw string) bool {
	kw = strings.ToLower(kw)
	return analysis.LookupInstruction(kw) != nil && kw != "onbuild" && kw != "from" && kw != "maintainer"
}

// word is a flag as written: its name and where it stands.
type word struct {
	name string
	span analysis.Span
}

// flagParam returns the parameter index of the flag called name, or of the
// only flag name starts, or -1.
func flagParam(flags []analysis.FlagInfo, name string) int {
	match := -1
	for i, f := range flags {
		switch {
		case strings.EqualFold(f.Name, name):
			return i
		case name != "" && strings.HasPrefix(f.Name, strings.ToLower(name)):
			if match >= 0 {
				return -1
			}
			match = i
		}
	}
	return match
}
