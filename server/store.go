package server

import (
	"context"
	"sync"
	"sync/atomic"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
)

// Snapshot is one version of an open document. It is immutable and may be
// shared with any number of concurrent requests; what they all need of it
// is computed once: its path here, its build context per folder
// (buildcontext.go), its diagnostics in memo (diagnostics.go).
type Snapshot struct {
	URI     string // as the client sent it; publish under this
	Path    string // the file's path; "" when the URI is not a file's
	Version int32
	Doc     *analysis.Document // the text, always the client's
	// Index is the index of Doc, unless the analysis failed on it; it is
	// then the last index the analysis produced (for an older text), or
	// nil. Use Current.
	Index *analysis.Index
	// TargetFile is the path of a file that names build targets (Compose,
	// Bake, a workflow, a script) rather than a Dockerfile; such a document
	// has no Index, and Stagehand answers in it only at its targets.
	TargetFile string
	// Plain is a file an editor attached the server to that is neither a
	// Dockerfile nor a file naming targets (any YAML, say): it has no
	// Index, and the server leaves it alone.
	Plain bool
	// Rules keeps the per-stage rules' findings and summaries of the
	// stages whose inputs did not change from one version of the document
	// to the next. It is the document's own, so that closing the document
	// frees it.
	Rules *rules.Cache
	// Published keeps the diagnostics of the last version converted for
	// the client, for the next version to take those unchanged.
	Published *pubCache

	memo *diagMemo // this version's diagnostics, computed once
}

// init makes snap ready to be stored.
func (snap *Snapshot) init() *Snapshot {
	snap.memo = &diagMemo{}
	return snap
}

// next returns the snapshot of a new version of the same document.
func (snap *Snapshot) next(version int32, doc *analysis.Document, ix *analysis.Index) *Snapshot {
	n := *snap
	n.Version, n.Doc, n.Index = version, doc, ix
	return n.init()
}

// Current returns the index of the snapshot's text, if the analysis
// produced one.
func (s *Snapshot) Current() (*analysis.Index, bool) {
	if s.Index == nil || s.Index.Doc != s.Doc {
		return nil, false
	}
	return s.Index, true
}

// view is the set of open documents at one moment. A view is never changed:
// every change to the store makes a new one.
type view map[uri.URI]*Snapshot

// store holds the open documents. Notifications change it one at a time, in
// wire order; requests read the view that was current when they were
// dispatched.
type store struct {
	mu   sync.Mutex // serializes writers
	cur  atomic.Pointer[view]
	pubs map[uri.URI]*publisher // guarded by mu
}

func newStore() *store {
	s := &store{}
	s.cur.Store(&view{})
	s.pubs = make(map[uri.URI]*publisher)
	return s
}

func (st *store) view() view { return *st.cur.Load() }

// get returns the current snapshot of u.
func (st *store) get(u uri.URI) (*Snapshot, bool) {
	snap, ok := st.view()[u]
	return snap, ok
}

// set makes snap the current snapshot of u, or removes u when snap is nil.
func (st *store) set(u uri.URI, snap *Snapshot) {
	st.mu.Lock()
	defer st.mu.Unlock()
	old := st.view()
	next := make(view, len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	if snap == nil {
		delete(next, u)
	} else {
		next[u] = snap
	}
	st.cur.Store(&next)
}

// publisher returns the diagnostics publisher of u, making it with mk when
// there is none.
func (st *store) publisher(u uri.URI, mk func() *publisher) *publisher {
	st.mu.Lock()
	defer st.mu.Unlock()
	p, ok := st.pubs[u]
	if !ok {
		p = mk()
		st.pubs[u] = p
	}
	return p
}

// dropPublisher forgets u's publisher and returns it.
func (st *store) dropPublisher(u uri.URI) *publisher {
	st.mu.Lock()
	defer st.mu.Unlock()
	p := st.pubs[u]
	delete(st.pubs, u)
	return p
}

// closeAll stops every pending publication.
func (st *store) closeAll() {
	st.mu.Lock()
	pubs := st.pubs
	st.pubs = make(map[uri.URI]*publisher)
	st.mu.Unlock()
	for _, p := range pubs {
		p.stop()
	}
}

type viewKey struct{}

// viewOf returns the documents the request in ctx reads: those current when
// it was dispatched, or the current ones for a request dispatched without.
func (s *Server) viewOf(ctx context.Context) view {
	if v, ok := ctx.Value(viewKey{}).(view); ok {
		return v
	}
	return s.docs.view()
}

// withView records in ctx the documents as they are when a request is
// dispatched.
func withView(ctx context.Context, v view) context.Context {
	return context.WithValue(ctx, viewKey{}, v)
}

// snapshot returns the snapshot of u that the request in ctx reads: the one
// current when it was dispatched. A document the client has not opened is
// an InvalidParams error.
func (s *Server) snapshot(ctx context.Context, u uri.URI) (*Snapshot, error) {
	snap, ok := s.viewOf(ctx)[u]
	if !ok {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "document not open: %s", u)
	}
	return snap, nil
}

// indexed returns the snapshot of u that the request in ctx reads, as
// snapshot does, and its index: nil when Current has none.
func (s *Server) indexed(ctx context.Context, u uri.URI) (*Snapshot, *analysis.Index, error) {
	snap, err := s.snapshot(ctx, u)
	if err != nil {
		return nil, nil, err
	}
	ix, ok := snap.Current()
	if !ok {
		return snap, nil, nil
	}
	return snap, ix, nil
}

// Snapshot returns the current snapshot of the document the client opened
// under uri (in any spelling the uri package accepts), for tests and tools.
func (s *Server) Snapshot(rawURI string) (*Snapshot, bool) {
	u, err := uri.Parse(rawURI)
	if err != nil {
		return nil, false
	}
	return s.docs.get(u)
}
