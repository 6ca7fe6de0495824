package server

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/stagehand-ls/stagehand/internal/diag"
)

// publisher publishes one open document's diagnostics, debounced: each
// change restarts a timer and only the version current when the timer fires
// is published. It never sends diagnostics older than ones already sent.
type publisher struct {
	s       *Server
	u       uri.URI
	stopped atomic.Bool

	tmu   sync.Mutex // guards timer
	timer *time.Timer

	smu  sync.Mutex // held while deciding to send and sending
	sent bool
	last int32 // version last published
}

// scheduleDiagnostics (re)starts the debounce timer of u.
func (s *Server) scheduleDiagnostics(u uri.URI) {
	p := s.docs.publisher(u, func() *publisher { return &publisher{s: s, u: u} })
	p.tmu.Lock()
	defer p.tmu.Unlock()
	if p.stopped.Load() {
		return
	}
	if p.timer == nil {
		p.timer = time.AfterFunc(s.cfg.DiagnosticsDelay, p.run)
	} else {
		p.timer.Reset(s.cfg.DiagnosticsDelay)
	}
}

// clearDiagnostics stops u's publisher and publishes no diagnostics under
// sent, the URI as the client spelled it.
func (s *Server) clearDiagnostics(u uri.URI, sent string) {
	p := s.docs.dropPublisher(u)
	if p == nil {
		return
	}
	p.stop()
	p.smu.Lock()
	defer p.smu.Unlock()
	s.publish(&protocol.PublishDiagnosticsParams{URI: uri.URI(sent), Diagnostics: []protocol.Diagnostic{}})
}

// stop cancels pending publications for good.
func (p *publisher) stop() {
	p.stopped.Store(true)
	p.tmu.Lock()
	defer p.tmu.Unlock()
	if p.timer != nil {
		p.timer.Stop()
	}
}

// run publishes the diagnostics of the current snapshot, unless a newer one
// has replaced it by the time they are ready (its own run will publish).
func (p *publisher) run() {
	snap, ok := p.s.docs.get(p.u)
	if !ok || p.stopped.Load() {
		return
	}
	diags := p.s.diagnostics(snap)

	p.smu.Lock()
	defer p.smu.Unlock()
	if cur, ok := p.s.docs.get(p.u); !ok || cur != snap || p.stopped.Load() {
		return
	}
	if p.sent && snap.Version < p.last {
		return
	}
	p.s.publish(&protocol.PublishDiagnosticsParams{
		URI:         uri.URI(snap.URI),
		Version:     protocol.NewOptional(snap.Version),
		Diagnostics: diags,
	})
	p.sent, p.last = true, snap.Version
}

func (s *Server) publish(params *protocol.PublishDiagnosticsParams) {
	if err := s.client.PublishDiagnostics(context.Background(), params); err != nil {
		s.log.Warn("publishing diagnostics", zap.String("uri", string(params.URI)), zap.Error(err))
	}
}

// diagnostics computes snap's diagnostics as protocol values. A panic in
// the analysis is logged and gives none.
func (s *Server) diagnostics(snap *Snapshot) (out []protocol.Diagnostic) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("computing diagnostics panicked", zap.String("uri", snap.URI), zap.Any("panic", r), zap.Stack("stack"))
			out = []protocol.Diagnostic{}
		}
	}()
	out = []protocol.Diagnostic{}
	ix, ok := snap.Current()
	if !ok {
		return out // the analysis failed on this text and logged why
	}
	enc := s.encoding()
	doc := snap.Doc
	for _, d := range s.diagnose(ix) {
		out = append(out, protocol.Diagnostic{
			Range:    toRange(doc, d.Span, enc),
			Severity: severity(d.Severity),
			Code:     protocol.String(d.Rule),
			Source:   protocol.NewOptional("stagehand"),
			Message:  protocol.String(d.Message),
		})
	}
	return out
}

func severity(s diag.Severity) protocol.DiagnosticSeverity {
	switch s {
	case diag.Warning:
		return protocol.DiagnosticSeverityWarning
	case diag.Info:
		return protocol.DiagnosticSeverityInformation
	case diag.Hint:
		return protocol.DiagnosticSeverityHint
	}
	return protocol.DiagnosticSeverityError
}
