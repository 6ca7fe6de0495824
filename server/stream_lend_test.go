package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// fakeAnswer is a lent answer that counts its releases.
type fakeAnswer struct {
	data     []byte
	released int
}

func (a *fakeAnswer) json() []byte { return a.data }
func (a *fakeAnswer) release()     { a.released++ }

// lendKey tells the requests' contexts apart.
type lendKey struct{}

// writeBuffer is a connection whose input is empty and whose output is
// kept.
type writeBuffer struct{ bytes.Buffer }

func (*writeBuffer) Read([]byte) (int, error) { return 0, io.EOF }
func (*writeBuffer) Close() error             { return nil }

// TestStreamLentAnswer writes the response an answer was lent to: its
// bytes in the marker's place, in one frame with the right length, small
// (copied into the frame) or large (written as they stand); another
// message written under the request's context first is written as it is
// and leaves the answer lent; a cancelled request's response is not
// written, and its answer is released; an answer lent again under a
// context whose response was dropped releases the one before; nothing is
// lent after a batch.
func TestStreamLentAnswer(t *testing.T) {
	for _, size := range []int{10, lentInline, lentInline + 1, 3 << 20} {
		out := &writeBuffer{}
		st := newStream(out, zap.NewNop())
		data := []byte(`["` + strings.Repeat("x", size-4) + `"]`)
		a := &fakeAnswer{data: data}
		ctx := context.WithValue(context.Background(), lendKey{}, size)
		if !st.lend(ctx, a) {
			t.Fatal("nothing lent before any batch")
		}
		note := jsonrpc2.NewNotification("window/logMessage", jsonrpc2.RawMessage(`{"type":3,"message":"m"}`))
		if _, err := st.Write(ctx, note); err != nil {
			t.Fatal(err)
		}
		if a.released != 0 {
			t.Fatalf("size %d: the answer was released by a message that is not its response", size)
		}
		before := lentWrites.Load()
		resp := jsonrpc2.NewResponse(jsonrpc2.NewNumberID(7), jsonrpc2.RawMessage(lentMarker), nil)
		if _, err := st.Write(ctx, resp); err != nil {
			t.Fatal(err)
		}
		if a.released != 1 || lentWrites.Load() != before+1 {
			t.Fatalf("size %d: released %d times, %d lent writes", size, a.released, lentWrites.Load()-before)
		}
		body := `{"jsonrpc":"2.0","method":"window/logMessage","params":{"type":3,"message":"m"}}`
		want := fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)
		body = `{"jsonrpc":"2.0","id":7,"result":` + string(data) + `}`
		want += fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)
		if got := out.String(); got != want {
			t.Errorf("size %d: written\n%.200q\nwant\n%.200q", size, got, want)
		}
		// The answer is not released again by a later write.
		if _, err := st.Write(ctx, note); err != nil || a.released != 1 {
			t.Errorf("size %d: a later write: %v, released %d times", size, err, a.released)
		}
	}

	out := &writeBuffer{}
	st := newStream(out, zap.NewNop())
	resp := jsonrpc2.NewResponse(jsonrpc2.NewNumberID(8), jsonrpc2.RawMessage(lentMarker), nil)
	ctx, cancel := context.WithCancel(context.Background())
	a := &fakeAnswer{data: []byte("[]")}
	st.lend(ctx, a)
	cancel()
	if _, err := st.Write(ctx, resp); err == nil || a.released != 1 || out.Len() != 0 {
		t.Errorf("cancelled: error %v, released %d times, %d bytes written", err, a.released, out.Len())
	}

	stale, fresh := &fakeAnswer{data: []byte("[1]")}, &fakeAnswer{data: []byte("[2]")}
	ctx = context.WithValue(context.Background(), lendKey{}, "recycled")
	st.lend(ctx, stale) // its response dropped
	st.lend(ctx, fresh)
	if stale.released != 1 || fresh.released != 0 {
		t.Errorf("lent again under the same context: released %d and %d times", stale.released, fresh.released)
	}

	st.batched.Store(true)
	if st.lend(context.Background(), &fakeAnswer{}) {
		t.Error("an answer was lent after a batch")
	}
	if b, err := (codec{}).Marshal(lentResult{&fakeAnswer{}}); err != nil || !bytes.Equal(b, lentMarker) {
		t.Errorf("codec wrote a lent answer as %q, %v", b, err)
	}
}
