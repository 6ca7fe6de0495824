package features

import (
	"context"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// References returns the occurrences of the name at off, without the
// declarations unless includeDecl is set. It stops early with ctx's error
// when ctx is cancelled.
func References(ctx context.Context, ix *analysis.Index, off int, includeDecl bool) ([]analysis.Occurrence, error) {
	t, ok := referentAt(ix, off)
	if !ok {
		return nil, nil
	}
	occ, err := ix.Occurrences(ctx, t)
	if err != nil {
		return nil, err
	}
	if t.Kind == analysis.ReferentStage {
		name := ix.Stage(t.Stage).Name
		for i, o := range occ {
			if o.Decl || o.Numeric || o.Span.Len() == len(name) || strings.IndexByte(ix.Doc.Slice(o.Span), '=') < 0 {
				continue // the name as written (in some casing), or a pattern
			}
			if r, ok := ix.RefAt(o.Span.Start); ok && r.Span == o.Span {
				if exact, ok := exactRefSpan(ix.Doc, r.Span, r.Value); ok {
					occ[i].Span = exact
				}
			}
		}
	}
	if includeDecl {
		return occ, nil
	}
	out := occ[:0:0]
	for _, o := range occ {
		if !o.Decl {
			out = append(out, o)
		}
	}
	return out, nil
}

// referentAt is ix.ReferentAt with a stage reference placed exactly (see
// exactRefSpan): in a mount spec continued over lines, which the index
// spans whole, only the from= value names the stage.
func referentAt(ix *analysis.Index, off int) (analysis.Referent, bool) {
	t, ok := ix.ReferentAt(off)
	if !ok || t.Kind != analysis.ReferentStage || t.Numeric || t.At.Len() == len(ix.Stage(t.Stage).Name) {
		return t, ok // the name as written, in some casing: exact
	}
	r, isRef := ix.RefAt(off)
	if !isRef || r.Span != t.At {
		return t, ok
	}
	exact, placed := exactRefSpan(ix.Doc, r.Span, r.Value)
	switch {
	case !placed:
		return t, ok
	case !exact.Contains(off):
		return analysis.Referent{}, false
	}
	t.At = exact
	return t, true
}

// exactRefSpan returns where the stage reference v, read by the index at
// sp, is written: sp itself when it holds just the reference. The index
// gives a mount spec that continues over lines whole (BuildKit reads the
// flag's word with the line breaks removed); there it is the value of the
// spec's last `from=` field (BuildKit keeps the last), found in the text
// when it is written in one piece. ok is false otherwise.
func exactRefSpan(doc *analysis.Document, sp analysis.Span, v string) (analysis.Span, bool) {
	text := doc.Slice(sp)
	if strings.EqualFold(text, v) || isDigits(text) {
		return sp, true
	}
	found := -1
	for i := 0; i+5 <= len(text); i++ {
		if !strings.EqualFold(text[i:i+5], "from=") || (i > 0 && text[i-1] != ',' && text[i-1] != '\n') {
			continue
		}
		e := i + 5
		for e < len(text) && text[e] != ',' && text[e] != '\r' && text[e] != '\n' {
			e++
		}
		if strings.EqualFold(text[i+5:e], v) {
			found = i + 5
		} else {
			found = -1 // a later from= BuildKit keeps but we cannot place
		}
	}
	if found < 0 {
		return analysis.Span{}, false
	}
	return analysis.Span{Start: sp.Start + found, End: sp.Start + found + len(v)}, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
