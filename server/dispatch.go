package server

import (
	"context"
	"encoding/json"
	"errors"
	"runtime/debug"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// codeRequestFailed is LSP's RequestFailed: a well-formed request the server
// could not carry out.
const codeRequestFailed jsonrpc2.Code = -32803

// barriers lists the requests that change the session's state: nothing
// after one is served before it completes, as if it ran on the read loop
// like a notification.
//
// They are still released with jsonrpc2.Async. A call that runs on the read
// loop is recycled by jsonrpc2 when it returns, while the goroutine that
// context.WithCancel (in jsonrpc2.CancelHandler) starts may still read its
// context: a data race, and a panic under load.
var barriers = map[string]bool{
	protocol.MethodInitialize: true,
	protocol.MethodShutdown:   true,
}

// ordered wraps next so that the connection keeps LSP's ordering:
// notifications run to completion, in wire order, before the next message
// is read, and only requests are released to run concurrently, each reading
// the documents as they were when it was dispatched. It also enforces the
// lifecycle, and keeps the connection alive through handler panics and
// failing notifications, both of which jsonrpc2 treats as fatal.
func (s *Server) ordered(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (result any, err error) {
		method := strings.Clone(req.Method()) // the request's copy is borrowed
		call := req.IsCall()
		if s.barrier != nil {
			<-s.barrier
			s.barrier = nil
		}
		if !call {
			if err := s.admit(method); err != nil {
				s.log.Debug("dropping notification", zap.String("method", method), zap.Error(err))
				return nil, nil
			}
			// Notifications are not cancelled; the connection's context is
			// safe to derive from, unlike the recycled request.
			ctx = jsonrpc2.DetachContext(ctx)
			if method == protocol.MethodTextDocumentDidOpen {
				ctx = withSentURI(ctx, sentURI(req.Params()))
			}
		} else {
			// Everything a call depends on is decided here, in wire order,
			// before it is released.
			admitErr := s.admit(method)
			ctx = withView(ctx, s.docs.view())
			if admitErr == nil && barriers[method] {
				done := make(chan struct{})
				defer close(done)
				s.barrier = done
			}
			jsonrpc2.Async(ctx)
			if admitErr != nil {
				return nil, admitErr
			}
		}

		defer func() {
			if r := recover(); r != nil {
				s.log.Error("handler panicked", zap.String("method", method),
					zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
				result, err = nil, nil
				if call {
					err = jsonrpc2.Errorf(jsonrpc2.InternalError, "internal error in %s: %v", method, r)
				}
			}
		}()
		result, err = next(ctx, req)
		if !call {
			switch {
			case err == nil:
			case errors.Is(err, jsonrpc2.ErrMethodNotFound):
				s.log.Debug("ignoring notification", zap.String("method", method))
			default:
				s.log.Warn("notification failed", zap.String("method", method), zap.Error(err))
			}
			return nil, nil
		}
		if err != nil {
			s.log.Debug("request failed", zap.String("method", method), zap.Error(err))
			return nil, wireError(ctx, err)
		}
		return result, nil
	}
}

// admit checks a message against the lifecycle: before initialize only
// initialize and exit are served, after shutdown only exit.
func (s *Server) admit(method string) error {
	if method == protocol.MethodExit {
		return nil
	}
	s.mu.Lock()
	st := s.state
	s.mu.Unlock()
	switch st {
	case stateNew:
		if method != protocol.MethodInitialize {
			return jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, "server not initialized")
		}
	case stateInitialized:
		if method == protocol.MethodInitialize {
			return jsonrpc2.NewError(jsonrpc2.InvalidRequest, "server already initialized")
		}
	case stateShutdown:
		return jsonrpc2.NewError(jsonrpc2.InvalidRequest, "server is shutting down")
	}
	return nil
}

// wireError gives err a JSON-RPC code: params that do not decode are
// InvalidParams (the message itself was valid JSON, or the stream would have
// rejected it), cancellation is RequestCancelled, an uncoded error
// RequestFailed.
func wireError(ctx context.Context, err error) error {
	var werr *jsonrpc2.Error
	switch {
	case errors.Is(err, jsonrpc2.ErrParse):
		return jsonrpc2.NewError(jsonrpc2.InvalidParams, err.Error())
	case errors.As(err, &werr):
		return err
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return protocol.ErrRequestCancelled
	}
	return jsonrpc2.NewError(codeRequestFailed, err.Error())
}

type sentURIKey struct{}

func withSentURI(ctx context.Context, u string) context.Context {
	if u == "" {
		return ctx
	}
	return context.WithValue(ctx, sentURIKey{}, u)
}

// sentURIFrom returns the document URI as the client spelled it, or def.
// The protocol decoder canonicalizes URIs, but clients match published
// diagnostics against their own spelling.
func sentURIFrom(ctx context.Context, def string) string {
	if u, ok := ctx.Value(sentURIKey{}).(string); ok {
		return u
	}
	return def
}

// sentURI extracts textDocument.uri from raw params.
func sentURI(params []byte) string {
	var p struct {
		TextDocument struct {
			URI string `json:"uri"`
		} `json:"textDocument"`
	}
	if json.Unmarshal(params, &p) != nil {
		return ""
	}
	return p.TextDocument.URI
}
