package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strconv"
	"testing"
	"time"
)

// TestInitializeAnsweredFirst: a client that pipelines initialize and
// shutdown, without waiting for the first answer, gets the answers in the
// order the requests are handled: initialize's first. (w30's reproducer:
// the barrier opened when initialize's handler returned, before conn wrote
// its answer, and the shutdown's answer could overtake it.)
func TestInitializeAnsweredFirst(t *testing.T) {
	for i := range 200 {
		ids := pipelined(t, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}`, `{"jsonrpc":"2.0","id":2,"method":"shutdown"}`)
		if len(ids) != 2 || ids[0] != "1" {
			t.Fatalf("run %d: answers in the order %v, want [1 2]", i, ids)
		}
	}
}

// TestDroppedAnswerDoesNotHang: a client that pipelines initialize,
// shutdown and exit and hangs up without reading gets no answer, and the
// server must still end: the barrier behind each dropped answer opens.
func TestDroppedAnswerDoesNotHang(t *testing.T) {
	for i := range 50 {
		s := New(Config{})
		serverEnd, clientEnd := net.Pipe()
		served := make(chan error, 1)
		go func() { served <- s.Serve(context.Background(), serverEnd) }()
		var frames []byte
		for _, m := range []string{
			`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}`,
			`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`,
			`{"jsonrpc":"2.0","method":"exit"}`,
		} {
			frames = fmt.Appendf(frames, "Content-Length: %d\r\n\r\n%s", len(m), m)
		}
		if _, err := clientEnd.Write(frames); err != nil {
			t.Fatal(err)
		}
		clientEnd.Close() // the answers cannot be written
		select {
		case <-served:
		case <-time.After(testTimeout):
			t.Fatalf("run %d: Serve did not return after the client hung up with its answers unread", i)
		}
	}
}

// pipelined writes the messages to a new server at once and returns the
// ids of the answers, in the order they come.
func pipelined(t *testing.T, msgs ...string) []string {
	t.Helper()
	s := New(Config{})
	serverEnd, clientEnd := net.Pipe()
	defer clientEnd.Close()
	go func() { _ = s.Serve(context.Background(), serverEnd) }()
	var frames []byte
	for _, m := range msgs {
		frames = fmt.Appendf(frames, "Content-Length: %d\r\n\r\n%s", len(m), m)
	}
	go func() { _, _ = clientEnd.Write(frames) }()
	_ = clientEnd.SetReadDeadline(time.Now().Add(testTimeout))
	r := textproto.NewReader(bufio.NewReader(clientEnd))
	var ids []string
	for len(ids) < len(msgs) {
		h, err := r.ReadMIMEHeader()
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.Atoi(h.Get("Content-Length"))
		body := make([]byte, n)
		if _, err := io.ReadFull(r.R, body); err != nil {
			t.Fatal(err)
		}
		var m struct {
			ID json.RawMessage `json:"id"`
		}
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, string(m.ID))
	}
	return ids
}
