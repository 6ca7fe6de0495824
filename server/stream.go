package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// codec marshals payloads with protocol's union-aware encoder, as the stock
// wiring does, passing already-encoded messages through.
type codec struct{}

func (codec) Marshal(v any) ([]byte, error) {
	switch m := v.(type) {
	case jsonrpc2.RawMessage:
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	case *jsonrpc2.RawMessage:
		if m == nil || *m == nil {
			return []byte("null"), nil
		}
		return *m, nil
	case protocol.DocumentSymbolSlice:
		return appendDocumentSymbols(make([]byte, 0, 256*countSymbols(m)+2), m)
	}
	return protocol.Marshal(v)
}

func (codec) Unmarshal(data []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = bytes.Clone(data)
		return nil
	}
	return protocol.Unmarshal(data, v)
}

// maxFrame bounds a message body; a larger one is skipped.
const maxFrame = 256 << 20

// stream reads and writes Content-Length framed messages. Unlike the stock
// header stream it survives bad input: a header block without a usable
// Content-Length is skipped, and a body that is not a JSON-RPC message is
// answered with an error response (id null, as JSON-RPC asks) instead of
// ending the connection. Writes go through jsonrpc2's header stream.
type stream struct {
	jsonrpc2.Stream // writes and Close
	in              *bufio.Reader
	buf             []byte
	log             *zap.Logger
}

func newStream(rwc io.ReadWriteCloser, log *zap.Logger) *stream {
	return &stream{Stream: jsonrpc2.NewHeaderStream(rwc), in: bufio.NewReaderSize(rwc, 64<<10), log: log}
}

// frameWriter is implemented by jsonrpc2's header stream.
type frameWriter interface {
	WriteFrame(ctx context.Context, data []byte) (int64, error)
}

// ReadFrame returns the body of the next well-formed message. jsonrpc2.Conn
// prefers it to Read; the body is valid until the next call.
func (s *stream) ReadFrame(ctx context.Context) ([]byte, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		body, n, err := s.readBody()
		if err != nil {
			var bad badFrame
			if errors.As(err, &bad) {
				s.log.Warn("skipping malformed message header", zap.Error(err))
				continue
			}
			return nil, 0, err
		}
		if werr := s.check(body); werr != nil {
			s.log.Warn("answering malformed message", zap.Error(werr), zap.ByteString("body", truncate(body)))
			if err := s.reply(ctx, werr); err != nil {
				return nil, 0, err
			}
			continue
		}
		return body, n, nil
	}
}

// WriteFrame writes an encoded body as one frame.
func (s *stream) WriteFrame(ctx context.Context, data []byte) (int64, error) {
	return s.Stream.(frameWriter).WriteFrame(ctx, data)
}

// Read implements jsonrpc2.Stream for callers that do not use ReadFrame.
func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	body, n, err := s.ReadFrame(ctx)
	if err != nil {
		return nil, 0, err
	}
	msg, err := jsonrpc2.DecodeMessage(body)
	return msg, n, err
}

// check reports why body is not a message jsonrpc2 can serve, or nil.
func (s *stream) check(body []byte) *jsonrpc2.Error {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if !json.Valid(trimmed) {
			return jsonrpc2.NewError(jsonrpc2.ParseError, "malformed JSON")
		}
		return nil
	}
	if _, err := jsonrpc2.DecodeMessage(body); err != nil {
		var werr *jsonrpc2.Error
		if errors.As(err, &werr) {
			return werr
		}
		return jsonrpc2.NewError(jsonrpc2.ParseError, err.Error())
	}
	return nil
}

// reply answers a message that could not be read with an error response.
func (s *stream) reply(ctx context.Context, werr *jsonrpc2.Error) error {
	data, err := jsonrpc2.EncodeMessage(jsonrpc2.NewResponse(jsonrpc2.ID{}, nil, werr))
	if err != nil {
		return fmt.Errorf("encoding error response: %w", err)
	}
	_, err = s.WriteFrame(ctx, data)
	return err
}

// badFrame is a header block the stream skips.
type badFrame struct{ reason string }

func (b badFrame) Error() string { return b.reason }

// readBody reads one header block and its body.
func (s *stream) readBody() ([]byte, int64, error) {
	length, read := -1, 0
	var reason string
	for {
		line, err := s.in.ReadString('\n')
		read += len(line)
		if err != nil {
			if err == io.EOF && read > 0 {
				err = io.ErrUnexpectedEOF
			}
			return nil, 0, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			if read <= 2 {
				continue // stray blank line between messages
			}
			break
		}
		name, value, ok := strings.Cut(line, ":")
		switch {
		case !ok:
			reason = fmt.Sprintf("malformed header line %q", truncate([]byte(line)))
		case strings.EqualFold(strings.TrimSpace(name), "Content-Length"):
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 {
				reason = fmt.Sprintf("bad Content-Length %q", value)
			} else {
				length = n
			}
		}
	}
	if reason == "" && length < 0 {
		reason = "missing Content-Length"
	}
	if reason != "" {
		return nil, 0, badFrame{reason}
	}
	if length > maxFrame {
		if _, err := s.in.Discard(length); err != nil {
			return nil, 0, err
		}
		return nil, 0, badFrame{fmt.Sprintf("message of %d bytes exceeds the limit", length)}
	}
	if cap(s.buf) < length {
		s.buf = make([]byte, length)
	}
	body := s.buf[:length]
	if _, err := io.ReadFull(s.in, body); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, 0, err
	}
	return body, int64(read + length), nil
}

func truncate(b []byte) []byte {
	if len(b) > 200 {
		return b[:200]
	}
	return b
}
