package server

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"sync"
	"sync/atomic"

	"go.lsp.dev/jsonrpc2"
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

	mu      sync.Mutex // guards running, pending and started, and orders stop against wakes
	running bool       // a run is in flight
	pending bool       // a change came during the run
	started bool       // loop is running (and waits on wake between bursts)

	// wake starts loop's next burst; done ends loop. The goroutine is
	// kept between bursts, rather than started for each, so that a run
	// finds the stack the last one grew (a new goroutine grew its stack,
	// copying it, three or four times a keystroke at 20,000 lines).
	wake     chan struct{}
	done     chan struct{}
	stopOnce sync.Once

	smu sync.Mutex // held while deciding to send and sending
}

// scheduleDiagnostics asks for u's diagnostics: at once, or after the run
// in flight.
func (s *Server) scheduleDiagnostics(u uri.URI) {
	if s.pullMode() {
		return // the client asks when it wants them
	}
	p := s.docs.publisher(u, func() *publisher {
		return &publisher{s: s, u: u, wake: make(chan struct{}, 1), done: make(chan struct{})}
	})
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
	if !p.started {
		p.started = true
		go p.loop()
		return
	}
	// loop is waiting, or about to: running was false, so the last wake
	// was taken (each one sets running, and loop clears it only after
	// taking it), and this one waits in the buffer.
	p.wake <- struct{}{}
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

// loop runs a burst each time it is woken, until the publisher stops.
func (p *publisher) loop() {
	for {
		p.burst()
		select {
		case <-p.wake:
		case <-p.done:
			// A wake sent before stop (both hold mu) is answered: its run
			// is counted in diagRuns.
			p.mu.Lock()
			select {
			case <-p.wake:
				p.s.diagRuns.add(-1)
			default:
			}
			p.mu.Unlock()
			return
		}
	}
}

// burst runs until no change is left unanswered.
func (p *publisher) burst() {
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

// stop cancels pending publications for good, and ends loop once its
// burst is over.
func (p *publisher) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped.Store(true)
	p.stopOnce.Do(func() { close(p.done) })
}

// run publishes the diagnostics of the current snapshot, unless a newer
// snapshot has replaced it by the time they are ready (the next run will
// publish).
func (p *publisher) run() {
	snap, ok := p.s.docs.get(p.u)
	if !ok || p.stopped.Load() {
		return
	}
	before := heapAllocated()
	set := p.s.diagnostics(snap)

	p.smu.Lock()
	defer p.smu.Unlock()
	// A newer text, or newer settings or workspace (refreshDiagnostics has
	// then scheduled the run that will publish), makes these stale.
	if cur, ok := p.s.docs.get(p.u); !ok || cur != snap || p.stopped.Load() || p.s.inputs.Load() != set.inputs {
		return
	}
	// The current snapshot's are published whatever its version: one
	// lower than the last published is the client's text all the same.
	p.s.publishSet(snap, set)
	p.s.returnMemoryAfter(before)
}

// publishSet publishes set, snap's diagnostics: from the diagnostics
// marshalled one by one (pubCache) where set has them, which spells the
// same bytes as marshalling the whole notification.
func (s *Server) publishSet(snap *Snapshot, set *diagSet) {
	params := &protocol.PublishDiagnosticsParams{
		URI:         uri.URI(snap.URI),
		Version:     protocol.NewOptional(snap.Version),
		Diagnostics: set.published,
	}
	if s.conn == nil || set.raw == nil {
		s.publish(params)
		return
	}
	msg, ok := joinPublished(params, set.raw)
	if !ok {
		s.publish(params)
		return
	}
	if err := s.conn.Notify(context.Background(), protocol.MethodTextDocumentPublishDiagnostics, msg); err != nil {
		s.log.Warn("publishing diagnostics", zap.String("uri", snap.URI), zap.Error(err))
	}
}

// joinPublished spells params as protocol.Marshal does, its diagnostics
// taken from raw, each one's marshalling.
func joinPublished(params *protocol.PublishDiagnosticsParams, raw [][]byte) (jsonrpc2.RawMessage, bool) {
	head := *params
	head.Diagnostics = []protocol.Diagnostic{}
	b, err := protocol.Marshal(&head)
	const tail = `"diagnostics":[]}`
	if err != nil || !bytes.HasSuffix(b, []byte(tail)) {
		return nil, false
	}
	n := len(b)
	for _, r := range raw {
		n += len(r) + 1
	}
	out := make([]byte, 0, n)
	out = append(out, b[:len(b)-2]...)
	for i, r := range raw {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, r...)
	}
	return append(out, ']', '}'), true
}

func (s *Server) publish(params *protocol.PublishDiagnosticsParams) {
	if err := s.client.PublishDiagnostics(context.Background(), params); err != nil {
		s.log.Warn("publishing diagnostics", zap.String("uri", string(params.URI)), zap.Error(err))
	}
}

// diagSet is a snapshot's diagnostics for one state of the inputs besides
// its text: the rules' findings, with their fixes, and the same converted
// for the client. What is published (or pulled) and what code actions
// read is this one value.
type diagSet struct {
	inputs    uint64 // s.inputs when they were computed
	found     []rules.Diagnostic
	published []protocol.Diagnostic
	raw       [][]byte // each of published marshalled, when pubCache made them
}

// diagMemo keeps a snapshot's diagSet. Its lock is held while the set is
// computed, so that a code action asking while the publisher computes
// waits for the same set instead of running the rules again.
type diagMemo struct {
	mu  sync.Mutex
	set *diagSet
}

// diagnostics returns snap's diagnostics, computing them once per version
// of the document and state of the other inputs.
func (s *Server) diagnostics(snap *Snapshot) *diagSet {
	inputs := s.inputs.Load()
	m := snap.memo
	if m == nil || snap.TargetFile != "" {
		// A file naming targets is judged against the open Dockerfiles'
		// text too, which changes without a new version of it.
		return s.computeDiagnostics(snap, inputs)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.set == nil || m.set.inputs != inputs {
		m.set = s.computeDiagnostics(snap, inputs)
	}
	return m.set
}

// computeDiagnostics computes snap's diagnostics. A panic in the analysis
// is logged and gives none.
func (s *Server) computeDiagnostics(snap *Snapshot, inputs uint64) (set *diagSet) {
	set = &diagSet{inputs: inputs, published: []protocol.Diagnostic{}}
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("computing diagnostics panicked", zap.String("uri", snap.URI), zap.Any("panic", r), zap.Stack("stack"))
			set = &diagSet{inputs: inputs, published: []protocol.Diagnostic{}}
		}
	}()
	if snap.TargetFile != "" {
		set.published = append(set.published, s.targetDiagnostics(snap.Doc, snap.URI, snap.TargetFile)...)
		return set
	}
	ix, ok := snap.Current()
	if !ok {
		return set // the analysis failed on this text and logged why, or it is not a Dockerfile
	}
	if snap.Path != "" && s.ws.ignored(snap.Path) {
		return set // the project's settings file leaves it out, as check does
	}
	set.found = s.diagnose(ix, s.documentRules(snap))
	enc := s.encoding()
	if snap.Published != nil {
		set.published, set.raw = snap.Published.convert(snap.Doc, snap.URI, set.found, enc)
		return set
	}
	for _, d := range set.found {
		set.published = append(set.published, toDiagnostic(snap.Doc, snap.URI, d, enc))
	}
	return set
}

// pubCache keeps one document's diagnostics of the last version it
// converted, converted for the client and marshalled, by a key that spells
// all the conversion reads (diagKey): the rule, severity, message, tags,
// the ranges of its spans (lines and columns, not offsets: an edit above
// it leaves them), related messages, fixes, the URI and the encoding. A
// finding a keystroke leaves alone is converted and marshalled once.
type pubCache struct {
	mu   sync.Mutex
	last map[string]pubEntry
	key  []byte // scratch
}

type pubEntry struct {
	d   protocol.Diagnostic
	raw []byte
}

// convert converts found, taking what the last version converted where
// the key is the same. raw is nil when a diagnostic fails to marshal.
func (c *pubCache) convert(doc *analysis.Document, docURI string, found []rules.Diagnostic, enc analysis.Encoding) ([]protocol.Diagnostic, [][]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	next := make(map[string]pubEntry, len(found))
	published := make([]protocol.Diagnostic, 0, len(found))
	raw := make([][]byte, 0, len(found))
	whole := true // every one marshalled
	for i := range found {
		d := &found[i]
		c.key = diagKey(c.key[:0], doc, docURI, d, enc)
		e, ok := next[string(c.key)]
		if !ok {
			e, ok = c.last[string(c.key)]
		}
		if !ok {
			e.d = toDiagnostic(doc, docURI, *d, enc)
			if b, err := protocol.Marshal(&e.d); err == nil {
				e.raw = b
			}
		}
		next[string(c.key)] = e
		published = append(published, e.d)
		raw = append(raw, e.raw)
		whole = whole && e.raw != nil
	}
	c.last = next
	if !whole {
		raw = nil
	}
	return published, raw
}

// diagKey appends to b what toDiagnostic reads of d and its place, each
// part ended or counted so that no two diagnostics spell the same key.
func diagKey(b []byte, doc *analysis.Document, docURI string, d *rules.Diagnostic, enc analysis.Encoding) []byte {
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	num := func(n int) { b = binary.AppendUvarint(b, uint64(n)) }
	rng := func(sp analysis.Span) {
		r := toRange(doc, sp, enc)
		num(int(r.Start.Line))
		num(int(r.Start.Character))
		num(int(r.End.Line))
		num(int(r.End.Character))
	}
	num(int(enc))
	str(docURI)
	str(d.Rule)
	num(int(d.Severity))
	str(d.Message)
	rng(d.Span)
	num(len(d.Tags))
	for _, t := range d.Tags {
		num(int(t))
	}
	num(len(d.Related))
	for _, r := range d.Related {
		rng(r.Span)
		str(r.Message)
	}
	num(len(d.Fixes))
	for _, f := range d.Fixes {
		str(f.Title)
		if f.Preferred {
			num(1)
		} else {
			num(0)
		}
		num(len(f.Edits))
		for _, e := range f.Edits {
			rng(e.Span)
			str(e.Text)
		}
	}
	return b
}

// documentRules is the rules' configuration for one document: the settings,
// the .dockerignore beside it, and the stages the workspace builds from it.
func (s *Server) documentRules(snap *Snapshot) *rules.Config {
	base := s.settingsFor(snap.Path).Rules
	if snap.Path != "" {
		base = s.ws.rulesFor(snap.Path, base) // the project's settings file, under the editor's
	}
	cfg := *base
	cfg.Context = s.buildContext(snap.Path)
	cfg.Ignore = cfg.Context.Ignore // the context's .dockerignore, as BuildKit picks it
	cfg.Cache = snap.Rules
	// Stages that Compose, Bake, workflows or scripts build are used.
	cfg.Targets = append(append([]string(nil), base.Targets...), s.workspaceTargets(snap.URI)...)
	cfg.Contexts = s.namedContexts(snap.URI)
	cfg.Builds = s.buildSpecs(snap.URI)
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
