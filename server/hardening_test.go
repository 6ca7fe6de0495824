package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

// answerDeadline bounds the wait for the answer that must follow each bad
// message.
const answerDeadline = 10 * time.Second

// wireMsg is a message as the server wrote it.
type wireMsg struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    jsonrpc2.Code `json:"code"`
		Message string        `json:"message"`
	} `json:"error"`
}

// rawClient talks to a real Server through its real stream over a pipe,
// writing bytes as they come, well-formed or not.
type rawClient struct {
	t      *testing.T
	conn   net.Conn
	logs   *observer.ObservedLogs
	exits  chan int
	served chan error

	mu     sync.Mutex
	cond   *sync.Cond
	resps  map[string]wireMsg // responses by id, as written
	nulls  []wireMsg          // responses with a null id
	closed bool
	nextID int
	// deadline, when set, replaces answerDeadline: for tests that time
	// heavy requests rather than the server's liveness.
	deadline time.Duration
}

// answerWithin is how long await waits for an answer.
func (c *rawClient) answerWithin() time.Duration {
	if c.deadline > 0 {
		return c.deadline
	}
	return answerDeadline
}

func newRawClient(t *testing.T, opts ...clientOption) *rawClient {
	t.Helper()
	core, logs := observer.New(zap.DebugLevel)
	c := &rawClient{t: t, logs: logs, exits: make(chan int, 1), served: make(chan error, 1), resps: map[string]wireMsg{}, nextID: 1000}
	c.cond = sync.NewCond(&c.mu)
	cfg := Config{Logger: zap.New(core), Exit: func(code int) { c.exits <- code }}
	var setup []func(*Server)
	for _, o := range opts {
		o(&cfg, &setup)
	}
	srv := New(cfg)
	for _, f := range setup {
		f(srv)
	}
	serverEnd, clientEnd := net.Pipe()
	c.conn = clientEnd
	go func() { c.served <- srv.Serve(context.Background(), serverEnd) }()
	go c.readLoop()
	t.Cleanup(func() {
		_ = clientEnd.Close()
		select {
		case <-c.served:
		case <-time.After(testTimeout):
			t.Errorf("server did not stop after the client hung up")
		}
	})
	return c
}

// readLoop reads the server's frames; the server's own output is always
// well-formed, and anything else fails the test.
func (c *rawClient) readLoop() {
	defer func() {
		c.mu.Lock()
		c.closed = true
		c.cond.Broadcast()
		c.mu.Unlock()
	}()
	r := bufio.NewReader(c.conn)
	for {
		length := -1
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
				length, _ = strconv.Atoi(v)
			}
		}
		if length < 0 {
			c.t.Errorf("the server wrote a frame without Content-Length")
			return
		}
		body := make([]byte, length)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		var batch []wireMsg
		if len(body) > 0 && body[0] == '[' {
			if err := json.Unmarshal(body, &batch); err != nil {
				c.t.Errorf("the server wrote %q: %v", body, err)
				return
			}
		} else {
			var m wireMsg
			if err := json.Unmarshal(body, &m); err != nil {
				c.t.Errorf("the server wrote %q: %v", body, err)
				return
			}
			batch = append(batch, m)
		}
		for _, m := range batch {
			c.received(m)
		}
	}
}

// received records a message from the server, or answers its request.
func (c *rawClient) received(m wireMsg) {
	switch {
	case m.Method != "" && len(m.ID) > 0 && string(m.ID) != "null":
		// A request from the server: answer it, empty-handed.
		go c.write(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"result":null}`, m.ID))
	case m.Method != "": // a notification
	default:
		c.mu.Lock()
		if len(m.ID) == 0 || string(m.ID) == "null" {
			c.nulls = append(c.nulls, m)
		} else {
			c.resps[string(m.ID)] = m
		}
		c.cond.Broadcast()
		c.mu.Unlock()
	}
}

func frame(body string) string { return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body) }

// send writes raw bytes.
func (c *rawClient) send(raw string) {
	c.t.Helper()
	if _, err := io.WriteString(c.conn, raw); err != nil {
		c.t.Fatalf("writing %q: %v", truncate([]byte(raw)), err)
	}
}

// write sends body as one well-formed frame.
func (c *rawClient) write(body string) { _, _ = io.WriteString(c.conn, frame(body)) }

// request sends a well-formed request and returns its id.
func (c *rawClient) request(method string, params any) string {
	c.t.Helper()
	c.mu.Lock()
	c.nextID++
	id := strconv.Itoa(c.nextID)
	c.mu.Unlock()
	p, err := json.Marshal(params)
	if err != nil {
		c.t.Fatal(err)
	}
	c.send(frame(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"method":%q,"params":%s}`, id, method, p)))
	return id
}

func (c *rawClient) notify(method string, params any) {
	c.t.Helper()
	p, err := json.Marshal(params)
	if err != nil {
		c.t.Fatal(err)
	}
	c.send(frame(fmt.Sprintf(`{"jsonrpc":"2.0","method":%q,"params":%s}`, method, p)))
}

// await waits for the response with id, within answerWithin.
func (c *rawClient) await(id string) (wireMsg, bool) {
	c.t.Helper()
	var m wireMsg
	found := false
	waitCond(c.cond, c.answerWithin(), func() bool {
		if m, found = c.resps[id]; found {
			delete(c.resps, id)
		}
		return found || c.closed
	})
	return m, found
}

// call sends a request and waits for its answer, failing the test if
// none comes.
func (c *rawClient) call(method string, params any) wireMsg {
	c.t.Helper()
	id := c.request(method, params)
	m, ok := c.await(id)
	if !ok {
		c.t.Fatalf("no answer to %s (id %s) within %v", method, id, c.answerWithin())
	}
	return m
}

// text returns the server's text of uri, through the test/text method.
func (c *rawClient) text(uri string) string {
	c.t.Helper()
	m := c.call("test/text", map[string]any{"uri": uri})
	if m.Error != nil {
		c.t.Fatalf("test/text: %+v", *m.Error)
	}
	var res textResult
	if err := json.Unmarshal(m.Result, &res); err != nil {
		c.t.Fatalf("test/text result %s: %v", m.Result, err)
	}
	return res.Text
}

func (c *rawClient) initialize() {
	c.t.Helper()
	if m := c.call("initialize", map[string]any{"capabilities": map[string]any{}}); m.Error != nil {
		c.t.Fatalf("initialize: %+v", *m.Error)
	}
	c.notify("initialized", map[string]any{})
}

func (c *rawClient) logged(msg string) bool {
	return c.logs.FilterMessageSnippet(msg).Len() > 0
}

// shutdownAndExit ends the session cleanly and checks that exit is
// honoured with code 0.
func (c *rawClient) shutdownAndExit() {
	c.t.Helper()
	if m := c.call("shutdown", nil); m.Error != nil {
		c.t.Fatalf("shutdown: %+v", *m.Error)
	}
	c.notify("exit", nil)
	select {
	case code := <-c.exits:
		if code != 0 {
			c.t.Errorf("exit code = %d, want 0", code)
		}
	case <-time.After(answerDeadline):
		c.t.Fatal("exit was not honoured")
	}
	select {
	case err := <-c.served:
		if err != nil {
			c.t.Errorf("Serve = %v, want nil", err)
		}
		c.served <- err
	case <-time.After(answerDeadline):
		c.t.Fatal("Serve did not return after exit")
	}
}

const hardText = "FROM alpine AS base\nRUN echo hi\nFROM base\nCOPY --from=base /a /b\n"

// TestMalformedFrames writes every kind of framing fault, each followed by
// a real request that must be answered with the document intact; then
// shutdown and exit must be honoured.
func TestMalformedFrames(t *testing.T) {
	body := `{"jsonrpc":"2.0","method":"$/nothing","params":{}}`
	for _, tc := range []struct {
		name string
		raw  string
	}{
		{"no Content-Length", "Content-Type: application/json\r\n\r\n" + body},
		{"no header at all", body},
		{"non-numeric Content-Length", "Content-Length: many\r\n\r\n" + body},
		{"negative Content-Length", "Content-Length: -5\r\n\r\n" + body},
		{"overflowing Content-Length", "Content-Length: 99999999999999999999999\r\n\r\n" + body},
		{"Content-Length past the limit", "Content-Length: 300000000\r\n\r\n" + body},
		{"hexadecimal Content-Length", "Content-Length: 0x10\r\n\r\n" + body},
		{"empty Content-Length", "Content-Length:\r\n\r\n" + body},
		{"conflicting Content-Lengths", fmt.Sprintf("Content-Length: %d\r\nContent-Length: 3\r\n\r\n%s", len(body), body)},
		{"header line without a colon", "Content-Length 51\r\n\r\n" + body},
		{"header name with a space", "Content Length: 51\r\n\r\n" + body},
		{"garbage line before the header", "hello\r\n" + frame(body)},
		{"binary garbage", "\x00\x01\xff\xfe\r\n\x00\r\n\r\n"},
		{"header line past the limit", "Content-Length: " + strings.Repeat("1", 10000) + "\r\n\r\n" + body},
		{"header block past the limit", strings.Repeat("X-Pad: 1\r\n", 1000) + frame(body)},
		{"body shorter than announced", fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body)+10, body)},
		{"body longer than announced", fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body)-10, body)},
		{"empty body", "Content-Length: 0\r\n\r\n"},
		{"body not JSON", frame("{not json")},
		{"truncated JSON", frame(`{"jsonrpc":"2.0","id":5,"method":"textDocument/hover","params":{`)},
		{"JSON number", frame("42")},
		{"JSON string", frame(`"x"`)},
		{"JSON null", frame("null")},
		{"empty batch", frame("[]")},
		{"batch of junk", frame("[1,2]")},
		{"malformed batch", frame(`[{"jsonrpc":"2.0",`)},
		{"trailing data", frame(body + "}")},
		{"id is an object", frame(`{"jsonrpc":"2.0","id":{},"method":"x"}`)},
		{"id is a float", frame(`{"jsonrpc":"2.0","id":1.5,"method":"x"}`)},
		{"id is a boolean", frame(`{"jsonrpc":"2.0","id":true,"method":"x"}`)},
		{"method is a number", frame(`{"jsonrpc":"2.0","id":1,"method":5}`)},
		{"no method, no result", frame(`{"jsonrpc":"2.0","id":1}`)},
		{"wrong jsonrpc version", frame(`{"jsonrpc":"1.0","id":1,"method":"textDocument/hover"}`)},
		{"response to nothing", frame(`{"jsonrpc":"2.0","id":987654,"result":null}`)},
		{"newline-only framing", fmt.Sprintf("Content-Length: %d\n\n%s", len(body), body)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newRawClient(t, withTextMethod(nil, nil))
			c.initialize()
			c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
				"uri": testURI, "languageId": "dockerfile", "version": 1, "text": hardText}})
			c.send(tc.raw)
			if got := c.text(testURI); got != hardText {
				t.Errorf("text after the bad frame = %q, want %q", got, hardText)
			}
			c.shutdownAndExit()
		})
	}
}

// TestMalformedRequestAnswered checks that a request the server cannot
// read is answered under its own id when it has one.
func TestMalformedRequestAnswered(t *testing.T) {
	c := newRawClient(t, withTextMethod(nil, nil))
	c.initialize()
	for _, tc := range []struct {
		raw  string
		id   string
		want jsonrpc2.Code
	}{
		{`{"jsonrpc":"2.0","id":77,"method":5}`, "77", jsonrpc2.InvalidRequest},
		{`{"jsonrpc":"2.0","id":"s1","method":["x"]}`, `"s1"`, jsonrpc2.InvalidRequest},
		{`{"jsonrpc":"2.0","id":78,"method":"textDocument/hover","params":42}`, "78", jsonrpc2.InvalidParams},
		{`{"jsonrpc":"2.0","id":79,"method":"textDocument/hover","params":{"textDocument":{"uri":"` + testURI + `"},"position":{"line":-1,"character":0}}}`, "79", jsonrpc2.InvalidParams},
	} {
		c.send(frame(tc.raw))
		m, ok := c.await(tc.id)
		if !ok {
			t.Errorf("%s: no answer under id %s", tc.raw, tc.id)
			continue
		}
		if m.Error == nil || m.Error.Code != tc.want {
			t.Errorf("%s: answered %+v, want code %d", tc.raw, m.Error, tc.want)
		}
	}
	c.send(frame("{not json"))
	c.call("test/text", map[string]any{"uri": testURI}) // its answer comes after the null one
	c.mu.Lock()
	nulls := c.nulls
	c.mu.Unlock()
	if len(nulls) != 1 || nulls[0].Error == nil || nulls[0].Error.Code != jsonrpc2.ParseError {
		t.Errorf("responses with a null id = %+v, want one ParseError", nulls)
	}
	c.shutdownAndExit()
}

// badShapes are params of every wrong shape, for any method.
var badShapes = []string{
	``, // no params at all
	`null`, `42`, `-1`, `1.5`, `"x"`, `true`, `[]`, `[1]`, `{}`,
	`{"textDocument":42}`,
	`{"textDocument":{"uri":42}}`,
	`{"textDocument":{"uri":"::not a uri"}}`,
	`{"textDocument":{"uri":"` + testURI + `"},"position":{"line":-1,"character":0}}`,
	`{"textDocument":{"uri":"` + testURI + `"},"position":{"line":4294967296,"character":0}}`,
	`{"textDocument":{"uri":"` + testURI + `"},"position":{"line":0.5,"character":0}}`,
	`{"textDocument":{"uri":"` + testURI + `"},"position":{"line":"0","character":0}}`,
	`{"textDocument":{"uri":"` + testURI + `"},"position":null}`,
	`{"textDocument":{"uri":"` + testURI + `"},"range":{"start":{"line":3,"character":0},"end":{"line":0,"character":0}}}`,
	`{"textDocument":{"uri":"` + testURI + `"},"range":{"start":{"line":-3,"character":0},"end":{"line":99999999,"character":-1}}}`,
	`{"textDocument":{"uri":"` + testURI + `"},"range":42}`,
	`{"textDocument":{"uri":"file:///nowhere/Dockerfile"},"position":{"line":0,"character":0}}`,
}

// methodShapes are wrong shapes particular to some methods.
var methodShapes = map[string][]string{
	"$/cancelRequest": {`{"id":null}`, `{"id":{}}`, `{"id":1.5}`, `{"id":[1]}`, `{"id":true}`,
		`{"id":99999999999999999999999}`, `{"id":-1}`, `{"id":"nothing"}`, `{"id":1e3}`},
	"textDocument/didOpen": {
		`{"textDocument":{"uri":"` + testURI + `","languageId":"dockerfile","version":2}}`,
		`{"textDocument":{"uri":"` + testURI + `","languageId":"dockerfile","version":"2","text":"FROM x"}}`,
		`{"textDocument":{"uri":"` + testURI + `","languageId":5,"version":2,"text":"FROM x"}}`,
		`{"textDocument":{"uri":"` + testURI + `","languageId":"dockerfile","version":2,"text":42}}`,
	},
	"textDocument/didChange": {
		`{"textDocument":{"uri":"` + testURI + `","version":2},"contentChanges":42}`,
		`{"textDocument":{"uri":"` + testURI + `","version":2},"contentChanges":[42]}`,
		`{"textDocument":{"uri":"` + testURI + `","version":2},"contentChanges":[{}]}`,
		`{"textDocument":{"uri":"` + testURI + `","version":2},"contentChanges":[{"text":42}]}`,
		`{"textDocument":{"uri":"` + testURI + `","version":"2"},"contentChanges":[{"text":"FROM x"}]}`,
		`{"textDocument":{"uri":"` + testURI + `"},"contentChanges":[{"text":"FROM x"}]}`,
		changeWithRange(`{"start":{"line":-1,"character":0},"end":{"line":0,"character":0}}`),
		changeWithRange(`{"start":{"line":4294967296,"character":0},"end":{"line":0,"character":0}}`),
		changeWithRange(`{"start":{"line":0,"character":0},"end":{"line":0.5,"character":0}}`),
		changeWithRange(`{"start":{"line":0,"character":0},"end":{"line":1,"character":1e2}}`),
		changeWithRange(`{"start":{"line":0,"character":0},"end":{"line":"1","character":0}}`),
		changeWithRange(`{"start":{"line":0,"character":0}}`),
		changeWithRange(`{"start":{"line":0,"character":0},"end":null}`),
		changeWithRange(`null`),
		changeWithRange(`42`),
		changeWithRange(`[]`),
		// protocol reads each of these as whole text: a name spelled in
		// another case, a rangeLength that does not decode, a bad value
		// before a good one of the same name.
		`{"textDocument":{"uri":"` + testURI + `","version":2},"contentChanges":[{"Range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"text":"FROM wiped"}]}`,
		`{"textDocument":{"uri":"` + testURI + `","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"rangeLength":-3,"text":"FROM wiped"}]}`,
		`{"textDocument":{"uri":"` + testURI + `","version":2},"contentChanges":[{"range":{"start":{"line":-1,"character":0},"end":{"line":0,"character":0}},` +
			`"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"text":"FROM wiped"}]}`,
		changeWithRange(`{"start":{"line":"0","line":0,"character":0},"end":{"line":0,"character":0}}`),
		// protocol skips a Start and would put the edit at 0:0.
		changeWithRange(`{"Start":{"line":2,"character":0},"end":{"line":2,"character":0}}`),
		// A good change before a bad one: the whole notification is refused.
		`{"textDocument":{"uri":"` + testURI + `","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"text":"# x\n"},` +
			`{"range":{"start":{"line":-1,"character":0},"end":{"line":0,"character":0}},"text":"FROM x"}]}`,
	},
	"textDocument/didClose": {`{"textDocument":{"uri":"` + testURI + `x"}}`},
	"workspace/didChangeWatchedFiles": {`{"changes":42}`, `{"changes":[{"uri":42,"type":1}]}`,
		`{"changes":[{"uri":"file:///x/compose.yaml","type":"x"}]}`, `{"changes":[{"uri":"::","type":1}]}`},
	"workspace/didChangeConfiguration": {`{"settings":42}`, `{"settings":{"stagehand":{"rules":42}}}`,
		`{"settings":{"stagehand":{"rules":{"UnusedStage":42}}}}`, `{"settings":{"stagehand":{"targets":"x"}}}`},
	"$/setTrace":                       {`{"value":"loud"}`, `{"value":42}`},
	"textDocument/completion":          {`{"textDocument":{"uri":"` + testURI + `"},"position":{"line":0,"character":0},"context":{"triggerKind":99}}`},
	"textDocument/codeAction":          {`{"textDocument":{"uri":"` + testURI + `"},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[{"range":42}],"only":[5]}}`},
	"codeAction/resolve":               {`{"title":"x","data":42}`, `{"title":"x","data":{"uri":42}}`},
	"completionItem/resolve":           {`{"label":"x","data":42}`, `{"label":42}`},
	"textDocument/formatting":          {`{"textDocument":{"uri":"` + testURI + `"},"options":{"tabSize":-1,"insertSpaces":true}}`},
	"textDocument/onTypeFormatting":    {`{"textDocument":{"uri":"` + testURI + `"},"position":{"line":0,"character":0},"ch":42,"options":{}}`},
	"textDocument/rename":              {`{"textDocument":{"uri":"` + testURI + `"},"position":{"line":0,"character":16},"newName":42}`},
	"textDocument/references":          {`{"textDocument":{"uri":"` + testURI + `"},"position":{"line":0,"character":16},"context":42}`},
	"workspace/symbol":                 {`{"query":42}`},
	"stagehand/stageGraph":             {`{"textDocument":{"uri":42}}`, `{"uri":"` + testURI + `"}`},
	"textDocument/semanticTokens/full": {`{"textDocument":{"uri":"` + testURI + `"},"extra":[1,2]}`},
}

func changeWithRange(r string) string {
	return `{"textDocument":{"uri":"` + testURI + `","version":2},"contentChanges":[{"range":` + r + `,"text":"FROM wiped"}]}`
}

// acceptedNotifications and acceptedRequests are the methods the server
// serves (exit aside, which ends the session).
var (
	acceptedNotifications = []string{"initialized", "$/cancelRequest", "$/setTrace",
		"textDocument/didOpen", "textDocument/didChange", "textDocument/didClose", "textDocument/didSave",
		"workspace/didChangeConfiguration", "workspace/didChangeWatchedFiles"}
	acceptedRequests = []string{"initialize", "textDocument/codeAction", "codeAction/resolve", "textDocument/codeLens",
		"textDocument/completion", "completionItem/resolve", "textDocument/definition", "textDocument/diagnostic",
		"textDocument/documentHighlight", "textDocument/documentLink", "textDocument/documentSymbol",
		"textDocument/foldingRange", "textDocument/formatting", "textDocument/hover", "textDocument/inlayHint",
		"textDocument/onTypeFormatting", "textDocument/prepareRename", "textDocument/rangeFormatting",
		"textDocument/references", "textDocument/rename", "textDocument/semanticTokens/full",
		"textDocument/semanticTokens/range", "textDocument/signatureHelp", "workspace/symbol", "stagehand/stageGraph"}
)

// TestMalformedParams sends every accepted notification and request with
// params of every wrong shape. Each is followed by a real request that must
// be answered, with the open document's text intact; requests must be
// answered themselves, and never with an internal error; and at the end
// shutdown and exit are honoured.
func TestMalformedParams(t *testing.T) {
	c := newRawClient(t, withTextMethod(nil, nil))
	c.initialize()
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": testURI, "languageId": "dockerfile", "version": 1, "text": hardText}})
	message := func(method, params, id string) string {
		m := `{"jsonrpc":"2.0","method":"` + method + `"`
		if id != "" {
			m += `,"id":` + id
		}
		if params != "" {
			m += `,"params":` + params
		}
		return frame(m + "}")
	}
	sent := 0
	for _, method := range acceptedNotifications {
		for _, params := range append(append([]string(nil), badShapes...), methodShapes[method]...) {
			if method == "textDocument/didClose" && strings.Contains(params, `"uri":"`+testURI+`"`) {
				continue // a well-formed close, whatever else the params hold
			}
			c.send(message(method, params, ""))
			if got := c.text(testURI); got != hardText {
				t.Fatalf("after %s %s: text = %q, want %q", method, params, got, hardText)
			}
			sent++
		}
	}
	for i, method := range acceptedRequests {
		for j, params := range append(append([]string(nil), badShapes...), methodShapes[method]...) {
			id := strconv.Itoa(1_000_000 + i*1000 + j)
			c.send(message(method, params, id))
			m, ok := c.await(id)
			switch {
			case !ok:
				t.Fatalf("%s %s: no answer", method, params)
			case m.Error != nil && m.Error.Code == jsonrpc2.InternalError:
				t.Errorf("%s %s: internal error %s", method, params, m.Error.Message)
			}
			if got := c.text(testURI); got != hardText {
				t.Fatalf("after %s %s: text = %q, want %q", method, params, got, hardText)
			}
			sent++
		}
	}
	if !c.logged("refusing a malformed textDocument/didChange") {
		t.Errorf("no refused didChange was logged")
	}
	t.Logf("%d malformed messages, each followed by an answered request", sent)
	c.shutdownAndExit()
}

// TestCancelBeforeInitialize sends cancels of every malformed shape before
// initialize, where jsonrpc2's CancelHandler ended the process.
func TestCancelBeforeInitialize(t *testing.T) {
	c := newRawClient(t)
	for _, params := range append(append([]string(nil), badShapes...), methodShapes["$/cancelRequest"]...) {
		m := `{"jsonrpc":"2.0","method":"$/cancelRequest"`
		if params != "" {
			m += `,"params":` + params
		}
		c.send(frame(m + "}"))
	}
	c.initialize()
	if !c.logged("ignoring malformed $/cancelRequest") {
		t.Errorf("malformed cancels were not logged")
	}
	c.shutdownAndExit()
}

// TestCancelledAnswersRequestCancelled cancels a request whose handler
// does not look at its context and finishes with a result: the answer must
// still be RequestCancelled, without the result.
func TestCancelledAnswersRequestCancelled(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	slow := func(ctx context.Context, s *Server, params []byte) (any, error) {
		close(started)
		<-release
		return strings.Repeat("x", 1<<20), nil
	}
	c := newRawClient(t, withMethod("test/slow", func(ctx context.Context, s *Server, params protocol.LSPAny) (any, error) {
		return slow(ctx, s, params)
	}))
	c.initialize()
	for _, id := range []string{`41`, `"s-41"`} {
		started = make(chan struct{})
		c.send(frame(`{"jsonrpc":"2.0","id":` + id + `,"method":"test/slow","params":{}}`))
		select {
		case <-started:
		case <-time.After(answerDeadline):
			t.Fatal("test/slow did not start")
		}
		c.send(frame(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":` + id + `}}`))
		// The cancel is read before the next request is answered.
		c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": testURI}, "position": map[string]any{"line": 0, "character": 0}})
		release <- struct{}{}
		m, ok := c.await(id)
		if !ok {
			t.Fatalf("no answer to the cancelled request %s", id)
		}
		if m.Error == nil || m.Error.Code != jsonrpc2.Code(-32800) || len(m.Result) != 0 {
			t.Errorf("cancelled request %s answered error %+v, result of %d bytes; want RequestCancelled and no result", id, m.Error, len(m.Result))
		}
	}
	c.shutdownAndExit()
}

// TestRequestsInFlightCapped floods the server with slow requests: no more
// than the cap run at once, the rest wait their turn and are all answered,
// and past the waiting limit a request is refused with ServerCancelled.
func TestRequestsInFlightCapped(t *testing.T) {
	var mu sync.Mutex
	running, most := 0, 0
	release := make(chan struct{})
	block := func(ctx context.Context, s *Server, params protocol.LSPAny) (any, error) {
		mu.Lock()
		running++
		most = max(most, running)
		mu.Unlock()
		<-release
		mu.Lock()
		running--
		mu.Unlock()
		return "done", nil
	}
	lim := &limiter{slots: make(chan struct{}, 3), maxWaiting: 5}
	small := func(_ *Config, setup *[]func(*Server)) {
		*setup = append(*setup, func(s *Server) { s.inflight = lim })
	}
	c := newRawClient(t, withMethod("test/block", block), small)
	c.initialize()
	var ids []string
	for range 8 { // 3 run, 5 wait
		ids = append(ids, c.request("test/block", map[string]any{}))
	}
	for deadline := time.Now().Add(answerDeadline); lim.waiting.Load() < 5; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d requests waiting, want 5", lim.waiting.Load())
		}
	}
	refused := c.call("test/block", map[string]any{})
	if refused.Error == nil || refused.Error.Code != codeServerCancelled {
		t.Errorf("a request past the waiting limit: %+v, want ServerCancelled", refused.Error)
	}
	mu.Lock()
	if running != 3 {
		t.Errorf("%d requests running, want the cap, 3", running)
	}
	mu.Unlock()
	close(release)
	for _, id := range ids {
		if m, ok := c.await(id); !ok || m.Error != nil {
			t.Errorf("request %s: %+v, %v", id, m.Error, ok)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if most != 3 {
		t.Errorf("at most %d requests ran at once, want 3", most)
	}
	c.shutdownAndExit()
}
