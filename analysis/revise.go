package analysis

import (
	"fmt"
	"runtime/debug"
)

// Change is one of the content changes an editor sends for a new version
// of a document, in the order it made them. Unless Whole is set, Start
// and End are read in the text the earlier changes left, in the columns of
// the session's encoding, which is why the core, which holds those texts,
// converts them; positions outside the text are clamped. Whole replaces
// the text with Text.
type Change struct {
	Start, End Position
	Whole      bool
	Text       string
}

// Revision is a document after a list of changes: the one value an edit
// gives back to whoever keeps the document.
type Revision struct {
	Doc *Document
	// Index is the index of Doc; when the analysis failed on Doc (see Err)
	// it is the last index it produced, for an older text, or nil.
	Index *Index
	// Clamped lists the changes whose range lay outside the text.
	Clamped []int
	// Err is a failure of the analysis (a panic, with its stack); the text
	// is still the editor's.
	Err error
}

// Revise applies changes in order to prev's document and returns the new
// document with its index: each ranged change updates the index
// incrementally (Update) while the index is in step with the text; a
// whole-text change, or an index out of step, gives a full parse at the
// end. prev may be nil or stale (the analysis failed on its text); doc is
// then the text the changes apply to (doc may be nil when prev is not,
// and both nil is the empty text, so that opening a document is a Whole
// change of nothing). A panic in the analysis is recovered: the text
// stays in step with the editor's whatever happens.
func Revise(prev *Index, doc *Document, changes []Change, enc Encoding) Revision {
	if doc == nil {
		if prev != nil {
			doc = prev.Doc
		} else {
			doc = NewDocument("")
		}
	}
	r := Revision{Doc: doc, Index: prev}
	ix := prev
	r.Doc, r.Clamped = applyChanges(doc, changes, enc, func(before, next *Document, e Edit) {
		if ix != nil && ix.Doc == before {
			ix = r.safely(func() *Index { return ix.Update(next, e) })
		} else {
			ix = nil
		}
	}, func() { ix = nil })
	if ix == nil || ix.Doc != r.Doc {
		ix = r.safely(func() *Index { return Parse(r.Doc) })
	}
	if ix != nil {
		r.Index = ix
	}
	return r
}

// ApplyChanges applies changes in order to doc, for a document that is
// not indexed, and reports the changes that were clamped.
func (d *Document) ApplyChanges(changes []Change, enc Encoding) (*Document, []int) {
	return applyChanges(d, changes, enc, nil, nil)
}

// applyChanges applies changes to doc, calling edited after each ranged
// change with the text before and after it and the edit in bytes, and
// whole after each whole-text change.
func applyChanges(doc *Document, changes []Change, enc Encoding, edited func(before, next *Document, e Edit), whole func()) (*Document, []int) {
	var clamped []int
	for i, c := range changes {
		if c.Whole {
			doc = NewDocument(c.Text)
			if whole != nil {
				whole()
			}
			continue
		}
		start, c1 := doc.Offset(c.Start, enc)
		end, c2 := doc.Offset(c.End, enc)
		if end < start {
			// A range given end first covers the same text as it would
			// the right way round: vscode-languageserver's TextDocument
			// and VS Code's Range swap the ends, so an edit a client
			// computed that way lands where that client meant it.
			start, end, c2 = end, start, true
		}
		if c1 || c2 {
			clamped = append(clamped, i)
		}
		e := Edit{Span: Span{start, end}, Text: c.Text}
		next, err := doc.Apply(e)
		if err != nil {
			continue // cannot happen: the span is clamped to doc
		}
		if edited != nil {
			edited(doc, next, e)
		}
		doc = next
	}
	return doc, clamped
}

// safely runs f, turning a panic into r.Err and a nil index.
func (r *Revision) safely(f func() *Index) (ix *Index) {
	defer func() {
		if p := recover(); p != nil {
			r.Err = fmt.Errorf("analysis panicked: %v\n%s", p, debug.Stack())
			ix = nil
		}
	}()
	return f()
}
