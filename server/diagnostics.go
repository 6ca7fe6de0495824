package server

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
)

// publisher publishes one open document's diagnostics, with no fixed
// delay: a change starts a run at once unless one is in flight, and the
// changes that arrive during a run are coalesced into one more run, for
// the newest version, when it ends. So a lone keystroke is published as
// soon as its rules finish, and a burst costs one run in flight and one
// after it. A run whose version has been replaced by the time its rules
// finish publishes nothing (the run after it will), and no publication is
// older than one already sent.
type publisher struct {
	s       *Server
	u       uri.URI
	stopped atomic.Bool

	mu      sync.Mutex // guards running and pending
	running bool       // a run is in flight
	pending bool       // a change came during the run

	smu  sync.Mutex // held while deciding to send and sending
	sent bool
	last int32 // version last published
}

// scheduleDiagnostics asks for u's diagnostics: at once, or after the run
// in flight.
func (s *Server) scheduleDiagnostics(u uri.URI) {
	if s.pullMode() {
		return // the client asks when it wants them
	}
	p := s.docs.publisher(u, func() *publisher { return &publisher{s: s, u: u} })
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped.Load() {
		return
	}
	if p.running {
		p.pending = true
		return
	}
	p.running = true
	s.diagRuns.add(1)
	go p.loop()
}

// runCounter counts the diagnostics runs in flight, for tests to wait on.
// Unlike a sync.WaitGroup it may be waited on while runs start.
type runCounter struct {
	mu   sync.Mutex
	n    int
	idle sync.Cond
}

func (c *runCounter) add(d int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n += d
	if c.n == 0 && c.idle.L != nil {
		c.idle.Broadcast()
	}
}

// wait returns when no run is in flight.
func (c *runCounter) wait() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idle.L == nil {
		c.idle.L = &c.mu
	}
	for c.n > 0 {
		c.idle.Wait()
	}
}

// loop runs until no change is left unanswered.
func (p *publisher) loop() {
	defer p.s.diagRuns.add(-1)
	for {
		p.mu.Lock()
		p.pending = false
		p.mu.Unlock()

		p.run()

		p.mu.Lock()
		if !p.pending || p.stopped.Load() {
			p.running = false
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
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
}

// run publishes the diagnostics of the current snapshot, unless a newer
// snapshot has replaced it by the time they are ready (the next run will
// publish).
func (p *publisher) run() {
	snap, ok := p.s.docs.get(p.u)
	if !ok || p.stopped.Load() {
		return
	}
	inputs := p.s.inputs.Load()
	diags := p.s.diagnostics(snap)

	p.smu.Lock()
	defer p.smu.Unlock()
	// A newer text, or newer settings or workspace (refreshDiagnostics has
	// then scheduled the run that will publish), makes these stale.
	if cur, ok := p.s.docs.get(p.u); !ok || cur != snap || p.stopped.Load() || p.s.inputs.Load() != inputs {
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
	if snap.Doc.Len() > largeDocument {
		p.s.returnMemory()
	}
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
	if snap.TargetFile != "" {
		out = append(out, s.targetDiagnostics(snap.Doc, snap.TargetFile)...)
		return append(out, s.buildArgDiagnostics(snap.Doc, snap.TargetFile)...)
	}
	ix, ok := snap.Current()
	if !ok {
		return out // the analysis failed on this text and logged why
	}
	if p, ok := docPath(snap.URI); ok && s.ws.ignored(p) {
		return out // the project's settings file leaves it out, as check does
	}
	cfg := s.documentRules(snap)
	enc := s.encoding()
	doc := snap.Doc
	for _, d := range s.diagnose(ix, cfg) {
		out = append(out, toDiagnostic(doc, snap.URI, d, enc))
	}
	return out
}

// documentRules is the rules' configuration for one document: the settings,
// the .dockerignore beside it, and the stages the workspace builds from it.
func (s *Server) documentRules(snap *Snapshot) *rules.Config {
	base, _ := s.rulesConfig()
	if p, ok := docPath(snap.URI); ok {
		base = s.ws.rulesFor(p, base) // the project's settings file, under the editor's
	}
	cfg := *base
	cfg.Context = s.buildContext(snap.URI)
	cfg.Ignore = cfg.Context.Ignore // the context's .dockerignore, as BuildKit picks it
	cfg.Cache = snap.Rules
	// Stages that Compose, Bake, workflows or scripts build are used.
	cfg.Targets = append(append([]string(nil), base.Targets...), s.workspaceTargets(snap.URI)...)
	cfg.Contexts = s.namedContexts(snap.URI)
	return &cfg
}

// toDiagnostic converts d, with its fixes as data for code actions.
func toDiagnostic(doc *analysis.Document, docURI string, d rules.Diagnostic, enc analysis.Encoding) protocol.Diagnostic {
	pd := protocol.Diagnostic{
		Range:    toRange(doc, d.Span, enc),
		Severity: severity(d.Severity),
		Code:     protocol.String(d.Rule),
		Source:   protocol.NewOptional("stagehand"),
		Message:  protocol.String(d.Message),
	}
	if u := d.URL(); u != "" {
		pd.CodeDescription = protocol.CodeDescription{Href: uri.URI(u)}
	}
	var tags []protocol.DiagnosticTag
	for _, t := range d.Tags {
		switch t {
		case rules.Unnecessary:
			tags = append(tags, protocol.DiagnosticTagUnnecessary)
		case rules.Deprecated:
			tags = append(tags, protocol.DiagnosticTagDeprecated)
		}
	}
	if len(tags) > 0 {
		pd.Tags = protocol.NewDiagnosticTags(tags...)
	}
	for _, r := range d.Related {
		pd.RelatedInformation = append(pd.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: uri.URI(docURI), Range: toRange(doc, r.Span, enc)},
			Message:  r.Message,
		})
	}
	if len(d.Fixes) > 0 {
		data := DiagnosticData{Rule: d.Rule}
		for _, f := range d.Fixes {
			fd := FixData{Title: f.Title, Preferred: f.Preferred, Edits: []TextEditData{}}
			for _, e := range f.Edits {
				fd.Edits = append(fd.Edits, TextEditData{Range: toRange(doc, e.Span, enc), NewText: e.Text})
			}
			data.Fixes = append(data.Fixes, fd)
		}
		if b, err := json.Marshal(data); err == nil {
			pd.Data = b
		}
	}
	return pd
}

// DiagnosticData is the data of a published diagnostic: its fixes as
// edits of the version the diagnostic was computed for, ready for
// textDocument/codeAction.
type DiagnosticData struct {
	Rule  string    `json:"rule"`
	Fixes []FixData `json:"fixes"`
}

// FixData is one fix of DiagnosticData.
type FixData struct {
	Title     string         `json:"title"`
	Preferred bool           `json:"preferred,omitempty"`
	Edits     []TextEditData `json:"edits"`
}

// TextEditData is an edit of FixData.
type TextEditData struct {
	Range   protocol.Range `json:"range"`
	NewText string         `json:"newText"`
}

func severity(s rules.Severity) protocol.DiagnosticSeverity {
	switch s {
	case rules.Warning:
		return protocol.DiagnosticSeverityWarning
	case rules.Information:
		return protocol.DiagnosticSeverityInformation
	case rules.Hint:
		return protocol.DiagnosticSeverityHint
	}
	return protocol.DiagnosticSeverityError
}
