package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/go-json-experiment/json/jsontext"
	"go.lsp.dev/protocol"
)

// checkSync checks the params of a document's open, change or close
// before protocol decodes them, since what protocol makes of a malformed
// one would be applied: a didOpen without its text opens an empty
// document, and a change whose range does not decode (a negative line,
// 2^32, a fraction) is read as a whole-document change that replaces the
// text with the fragment. A malformed one is refused whole.
//
// It reads the params as tokens, without reflection or copies of the
// text: it runs on every keystroke. It refuses what decoding them with
// encoding/json into the shape below would refuse (TestCheckSyncAsJSON),
// and what protocol would read otherwise: a name that differs from LSP's
// spelling in case only, a rangeLength that is not an unsigned 32-bit
// integer, and a malformed value where a later member of the same name is
// well formed (names written with escapes are unquoted first):
//
//	{"textDocument": {"uri", "languageId", "version" (int32), "text": strings},
//	 "contentChanges": [{"range": raw, "rangeLength": uint32, "text": string}]}
func checkSync(method string, params []byte) error {
	c := syncCheckers.Get().(*syncChecker)
	defer syncCheckers.Put(c)
	c.dec.Reset(bytes.NewBuffer(params), syncOptions...)
	defer c.dec.Reset(noInput)
	var st syncState
	if err := c.params(&st); err != nil {
		return err
	}
	switch {
	case !st.td || !st.uri:
		return errors.New("no textDocument.uri")
	case method == protocol.MethodTextDocumentDidOpen && (!st.languageID || !st.version || !st.text):
		return errors.New("textDocument lacks its languageId, version or text")
	case method != protocol.MethodTextDocumentDidChange:
		return nil
	case !st.version:
		return errors.New("no textDocument.version")
	case !st.changes:
		return errors.New("no contentChanges")
	}
	return st.changeErr
}

// syncState is what checkSync found: which fields are present (and not
// null), and the first change that is not well formed.
type syncState struct {
	td, uri, languageID, version, text bool
	changes                            bool
	changeErr                          error
}

type syncChecker struct {
	dec, rdec *jsontext.Decoder
}

var (
	syncCheckers = sync.Pool{New: func() any {
		return &syncChecker{dec: jsontext.NewDecoder(noInput), rdec: jsontext.NewDecoder(noInput)}
	}}
	// syncOptions read as encoding/json did.
	syncOptions = []jsontext.Options{jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true)}
	// noInput is what an idle decoder reads, so as not to keep the params.
	noInput = bytes.NewReader(nil)
)

var errSyncShape = errors.New("params do not have the shape of a document sync")

// params reads the whole params, a single JSON value.
func (c *syncChecker) params(st *syncState) error {
	d := c.dec
	err := object(d, func(name []byte) error {
		switch {
		case string(name) == "textDocument":
			return c.textDocument(st)
		case string(name) == "contentChanges":
			return c.changes(st)
		}
		return d.SkipValue()
	})
	if err != nil {
		return err
	}
	if _, err := d.ReadToken(); err != io.EOF {
		return errors.New("params hold more than one value")
	}
	return nil
}

func (c *syncChecker) textDocument(st *syncState) error {
	d := c.dec
	if d.PeekKind() == 'n' {
		_, err := d.ReadToken()
		st.td, st.uri, st.languageID, st.version, st.text = false, false, false, false, false
		return err
	}
	st.td = true
	return object(d, func(name []byte) error {
		switch {
		case string(name) == "uri":
			return optString(d, &st.uri)
		case string(name) == "languageId":
			return optString(d, &st.languageID)
		case string(name) == "text":
			return optString(d, &st.text)
		case string(name) == "version":
			v, err := d.ReadValue()
			if err != nil {
				return err
			}
			switch v.Kind() {
			case 'n':
				st.version = false
				return nil
			case '0':
				if _, err := strconv.ParseInt(string(v), 10, 32); err != nil {
					return fmt.Errorf("textDocument.version %s is not an int32", v)
				}
				st.version = true
				return nil
			}
			return errSyncShape
		}
		return d.SkipValue()
	})
}

func (c *syncChecker) changes(st *syncState) error {
	d := c.dec
	tok, err := d.ReadToken()
	if err != nil {
		return err
	}
	switch tok.Kind() {
	case 'n':
		st.changes, st.changeErr = false, nil
		return nil
	case '[':
	default:
		return errSyncShape
	}
	st.changes, st.changeErr = true, nil
	for i := 0; d.PeekKind() != ']'; i++ {
		if d.PeekKind() == 'n' {
			if _, err := d.ReadToken(); err != nil {
				return err
			}
			if st.changeErr == nil {
				st.changeErr = fmt.Errorf("change %d has no text", i)
			}
			continue
		}
		text := false
		var rangeErr error
		err := object(d, func(name []byte) error {
			switch {
			case string(name) == "text":
				return optString(d, &text)
			case string(name) == "range":
				v, err := d.ReadValue()
				if err != nil {
					return err
				}
				// protocol stops at the first malformed range of a
				// change and reads the change as whole text.
				if err := c.checkRange(i, v); rangeErr == nil {
					rangeErr = err
				}
				return nil
			case string(name) == "rangeLength":
				// Likewise a rangeLength that is not null or an
				// unsigned 32-bit integer.
				v, err := d.ReadValue()
				if err != nil {
					return err
				}
				if _, perr := strconv.ParseUint(string(v), 10, 32); perr != nil && v.Kind() != 'n' && rangeErr == nil {
					rangeErr = fmt.Errorf("change %d: rangeLength %s is not an unsigned 32-bit integer", i, truncate(v))
				}
				return nil
			}
			return d.SkipValue()
		})
		if err != nil {
			return err
		}
		if st.changeErr == nil {
			if !text {
				st.changeErr = fmt.Errorf("change %d has no text", i)
			} else {
				st.changeErr = rangeErr
			}
		}
	}
	_, err = d.ReadToken()
	return err
}

// checkRange checks the raw range v of change i: an object whose start
// and end are objects whose line and character are unsigned 32-bit
// integers.
func (c *syncChecker) checkRange(i int, v jsontext.Value) error {
	notRange := func() error { return fmt.Errorf("change %d: range %s is not a range", i, truncate(v)) }
	d := c.rdec
	d.Reset(bytes.NewBuffer(v), syncOptions...)
	defer d.Reset(noInput)
	var start, end *[2]bool // line, character: well formed
	var s, e [2]bool
	pos := func(p **[2]bool, box *[2]bool) error {
		if d.PeekKind() == 'n' {
			*p, *box = nil, [2]bool{}
			_, err := d.ReadToken()
			return err
		}
		*p = box
		return object(d, func(name []byte) error {
			k := -1
			switch {
			case string(name) == "line":
				k = 0
			case string(name) == "character":
				k = 1
			default:
				return d.SkipValue()
			}
			v, err := d.ReadValue()
			if err != nil {
				return err
			}
			// A malformed value refuses the range even if a later
			// member of the same name is well formed: protocol stops
			// at the first.
			if _, perr := strconv.ParseUint(string(v), 10, 32); perr != nil {
				return perr
			}
			box[k] = true
			return nil
		})
	}
	if d.PeekKind() == 'n' {
		return notRange()
	}
	err := object(d, func(name []byte) error {
		switch {
		case string(name) == "start":
			return pos(&start, &s)
		case string(name) == "end":
			return pos(&end, &e)
		}
		return d.SkipValue()
	})
	if err != nil || start == nil || end == nil {
		return notRange()
	}
	if !s[0] || !s[1] || !e[0] || !e[1] {
		return fmt.Errorf("change %d: range %s: a position is not two unsigned 32-bit integers", i, truncate(v))
	}
	return nil
}

// object reads an object from d, calling member with each name (unquoted,
// and only valid until the next read) to read that member's value. A
// null reads as an object without members, as encoding/json reads it
// into a struct.
func object(d *jsontext.Decoder, member func(name []byte) error) error {
	tok, err := d.ReadToken()
	if err != nil {
		return err
	}
	switch tok.Kind() {
	case 'n':
		return nil
	case '{':
	default:
		return errSyncShape
	}
	for d.PeekKind() != '}' {
		v, err := d.ReadValue()
		if err != nil {
			return err
		}
		name := []byte(v)
		if bytes.IndexByte(name, '\\') < 0 {
			name = name[1 : len(name)-1]
		} else if name, err = jsontext.AppendUnquote(nil, v); err != nil {
			return err // rare: a name written with escapes, unquoted anew
		}
		if err := spelled(name); err != nil {
			return err
		}
		if err := member(name); err != nil {
			return err
		}
	}
	_, err = d.ReadToken()
	return err
}

// syncNames are the member names checkSync reads.
var syncNames = []string{"textDocument", "contentChanges", "uri", "languageId", "version", "text", "range", "rangeLength", "start", "end", "line", "character"}

// spelled refuses a member name that differs from one LSP spells in case
// only. protocol reads names as spelled and skips such a member, where
// encoding/json would read it as the member: a change with a `Range` or
// `Start` would mean another edit to it than to us (a `Range` made the
// change whole text).
func spelled(name []byte) error {
	for _, n := range syncNames {
		if len(name) == len(n) && string(name) != n && bytes.EqualFold(name, []byte(n)) {
			return fmt.Errorf("member %q is not spelled %q", name, n)
		}
	}
	return nil
}

// optString reads a string or null, setting *present to which it was.
func optString(d *jsontext.Decoder, present *bool) error {
	tok, err := d.ReadToken()
	if err != nil {
		return err
	}
	switch tok.Kind() {
	case 'n':
		*present = false
	case '"':
		*present = true
	default:
		return errSyncShape
	}
	return nil
}
