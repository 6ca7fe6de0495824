package server

import (
	"context"
	"encoding/json"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/stagehand-ls/stagehand/analysis"
)

// Initialize negotiates the position encoding and advertises what the
// server implements.
func (s *Server) Initialize(ctx context.Context, params *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	enc, kind := negotiateEncoding(params.Capabilities.General)
	if asked, askedKind, ok := askedEncoding(params.Capabilities.General, params.InitializationOptions); ok {
		enc, kind = asked, askedKind
	}
	s.mu.Lock()
	s.state = stateInitialized
	s.enc = enc
	s.opts.Store(readClientOptions(params.Capabilities))
	s.trace = params.Trace
	s.roots = workspaceRoots(params)
	s.mu.Unlock()
	folders := clientFolders(params)
	s.ws.folders.Store(&folders)
	s.setSettings([]byte(params.InitializationOptions))
	s.log.Info("initialized", zap.String("client", params.ClientInfo.Name),
		zap.Stringer("positionEncoding", enc))

	return &protocol.InitializeResult{
		Capabilities: s.capabilities(kind),
		ServerInfo:   s.serverInfo(),
	}, nil
}

// serverInfo names the server, and its version when the build knows it.
func (s *Server) serverInfo() protocol.ServerInfo {
	info := protocol.ServerInfo{Name: "stagehand"}
	if s.cfg.Version != "" {
		info.Version = protocol.NewOptional(s.cfg.Version)
	}
	return info
}

// capabilities lists what the server implements: document sync here, and
// whatever each feature's file registered with advertise.
func (s *Server) capabilities(enc protocol.PositionEncodingKind) protocol.ServerCapabilities {
	yes := true
	change := protocol.TextDocumentSyncKindIncremental
	caps := protocol.ServerCapabilities{
		PositionEncoding: enc,
		TextDocumentSync: &protocol.TextDocumentSyncOptions{
			OpenClose: &yes,
			Change:    &change,
			Save:      protocol.Boolean(true),
		},
	}
	for _, add := range advertisers {
		add(s, &caps)
	}
	return caps
}

// advertisers fill in the provider of each feature; the client's options
// (s.options) are read when they run.
var advertisers []func(s *Server, caps *protocol.ServerCapabilities)

// advertise registers a feature's provider. Each feature's file calls it
// from an init function, so adding a feature touches no shared file.
func advertise(add func(s *Server, caps *protocol.ServerCapabilities)) {
	advertisers = append(advertisers, add)
}

// negotiateEncoding picks the first encoding in the client's list that the
// server supports; with no list, or none supported, it is UTF-16, which
// every client must accept.
func negotiateEncoding(general *protocol.GeneralClientCapabilities) (analysis.Encoding, protocol.PositionEncodingKind) {
	var offered []protocol.PositionEncodingKind
	if general != nil {
		offered = general.PositionEncodings
	}
	for _, k := range offered {
		switch k {
		case protocol.PositionEncodingKindUTF16:
			return analysis.UTF16, k
		case protocol.PositionEncodingKindUTF8:
			return analysis.UTF8, k
		case protocol.PositionEncodingKindUTF32:
			return analysis.UTF32, k
		}
	}
	return analysis.UTF16, protocol.PositionEncodingKindUTF16
}

// Shutdown stops the server from accepting anything but exit.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.state = stateShutdown
	s.mu.Unlock()
	s.docs.closeAll()
	s.log.Info("shutdown")
	return nil
}

// Exit ends the session: the process exits with 0 after shutdown, else 1.
func (s *Server) Exit(ctx context.Context) error {
	s.mu.Lock()
	code := 1
	if s.state == stateShutdown {
		code = 0
	}
	select {
	case <-s.exited:
		s.mu.Unlock()
		return nil
	default:
		close(s.exited)
	}
	s.mu.Unlock()
	s.log.Info("exit", zap.Int("code", code))
	if s.cfg.Exit != nil {
		s.cfg.Exit(code)
	}
	return nil
}

// SetTrace records the client's trace setting.
func (s *Server) SetTrace(ctx context.Context, params *protocol.SetTraceParams) error {
	s.mu.Lock()
	s.trace = params.Value
	s.mu.Unlock()
	return nil
}

// askedEncoding is the encoding a client names in initializationOptions
// ("positionEncoding": "utf-8", "utf-16" or "utf-32") when it offers none
// in its capabilities: for clients that count columns otherwise than in
// UTF-16 and cannot say so, such as Vim's ALE, which counts bytes.
func askedEncoding(general *protocol.GeneralClientCapabilities, initOptions protocol.LSPAny) (analysis.Encoding, protocol.PositionEncodingKind, bool) {
	if general != nil && len(general.PositionEncodings) > 0 {
		return 0, "", false
	}
	var opts struct {
		PositionEncoding protocol.PositionEncodingKind `json:"positionEncoding"`
	}
	if json.Unmarshal([]byte(initOptions), &opts) != nil {
		return 0, "", false
	}
	switch k := opts.PositionEncoding; k {
	case protocol.PositionEncodingKindUTF8:
		return analysis.UTF8, k, true
	case protocol.PositionEncodingKindUTF16:
		return analysis.UTF16, k, true
	case protocol.PositionEncodingKindUTF32:
		return analysis.UTF32, k, true
	}
	return 0, "", false
}
