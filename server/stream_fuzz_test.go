package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"strconv"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// sentinel is the well-formed message that follows every fuzzed input.
const sentinel = `{"jsonrpc":"2.0","id":"sentinel","method":"x"}`

var announced = regexp.MustCompile(`(?i)content-length:[ \t]*\+?(\d{1,9})`)

type discardCloser struct{ io.Reader }

func (discardCloser) Write(b []byte) (int, error) { return len(b), nil }
func (discardCloser) Close() error                { return nil }

// FuzzFrames feeds raw bytes to the stream, followed by enough copies of a
// well-formed message to refill whatever length the input announced: the
// stream must never panic, must return only messages jsonrpc2 can serve,
// and must get back in step to read a copy of the message.
func FuzzFrames(f *testing.F) {
	for _, seed := range []string{
		frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}`),
		"Content-Type: x\r\n\r\n{}",
		"Content-Length: many\r\n\r\n{}",
		"Content-Length: -5\r\n\r\n{}",
		"Content-Length: 99999999999999999999\r\n\r\n",
		"Content-Length 5\r\n\r\n{}",
		"Content-Length: 60\r\n\r\n{}",
		"Content-Length: 1\r\n\r\n{}",
		"Content-Length: 0\r\n\r\n",
		frame("[]"), frame("[1]"), frame(`{"id":{},"method":"x"}`),
		"\x00\xff\r\n\r\n",
		"Content-Len",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		most := 0
		for _, m := range announced.FindAllSubmatch(in, -1) {
			n, _ := strconv.Atoi(string(m[1]))
			most = max(most, n)
		}
		if most > 1<<16 {
			return // refilling it costs more than it shows
		}
		msg := frame(sentinel)
		var input bytes.Buffer
		input.Write(in)
		for range most/len(msg) + 3 {
			input.WriteString(msg)
		}
		s := newStream(discardCloser{&input}, zap.NewNop())
		seen := false
		for range 10000 {
			body, _, err := s.ReadFrame(context.Background())
			if err != nil {
				if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Fatalf("ReadFrame: %v", err)
				}
				break
			}
			if bytes.Equal(body, []byte(sentinel)) {
				seen = true
			}
			if bytes.HasPrefix(bytes.TrimLeft(body, " \t\r\n"), []byte("[")) {
				continue // a batch: jsonrpc2 answers each member
			}
			if _, err := jsonrpc2.DecodeMessage(body); err != nil {
				t.Fatalf("ReadFrame returned %q, which does not decode: %v", body, err)
			}
		}
		if !seen {
			t.Fatalf("the stream did not get back in step after %q", in)
		}
	})
}
