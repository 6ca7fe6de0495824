// Package codeaction produces Stagehand's code actions as data: quick fixes
// for the diagnostics of analysis/rules and refactorings of multi-stage
// builds. Each action has a title, a kind and its edits as analysis.Edit
// lists; expensive refactorings compute their edits lazily, when the
// client resolves them. The package knows nothing of LSP.
package codeaction

import (
	"context"
	"fmt"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// Kind is a code action kind, a dot-separated hierarchy as LSP has it.
type Kind string

// The kinds Stagehand produces.
const (
	QuickFix       Kind = "quickfix"
	Rewrite        Kind = "refactor.rewrite"
	SplitStageKind Kind = "refactor.rewrite.splitStage"
	BuildRuntime   Kind = "refactor.rewrite.buildRuntime"
	ReorderLayers  Kind = "refactor.rewrite.reorderLayers"
	SourceFixAll   Kind = "source.fixAll"
)

// Kinds lists every kind a producer may return, for the server to
// advertise.
var Kinds = []Kind{QuickFix, Rewrite, SourceFixAll}

// Within reports whether k is base or one of its sub-kinds.
func (k Kind) Within(base Kind) bool {
	return base == "" || k == base || strings.HasPrefix(string(k), string(base)+".")
}

// Trigger says why the actions were asked for.
type Trigger int

const (
	Invoked   Trigger = iota // the user asked
	Automatic                // the editor asks on its own, e.g. as the cursor moves
)

// Request is what the actions are asked for.
type Request struct {
	Index *analysis.Index
	Span  analysis.Span // the selection or the cursor
	// Only restricts the kinds wanted; empty means every kind.
	Only    []Kind
	Trigger Trigger
	// Context is the document's build context (FS nil when unknown), which
	// the layer refactorings read.
	Context analysis.BuildContext
	// Diagnostics are the document's diagnostics with their fixes; quick
	// fixes come from those overlapping Span, the fix-all action from all.
	Diagnostics []Diagnostic
	// Reserved are names a new stage must not take: the named build
	// contexts the project gives the Dockerfile, which BuildKit would use
	// in place of a stage so named.
	Reserved []string
}

// Diagnostic is a diagnostic with the fixes its rule suggests.
type Diagnostic struct {
	Span    analysis.Span
	Rule    string
	Message string
	Fixes   []Fix
}

// Fix is one suggested change of a diagnostic.
type Fix struct {
	Title     string
	Edits     []analysis.Edit
	Preferred bool
}

// Action is one code action.
type Action struct {
	Title string
	Kind  Kind
	// ID names the action among those a request gives, so that a client's
	// resolve request can find it again.
	ID        string
	Preferred bool
	// Edits are the document edits, relative to the request's text, in
	// document order and disjoint. Nil when Lazy computes them.
	Edits []analysis.Edit
	// Lazy computes Edits on demand for expensive actions.
	Lazy func() ([]analysis.Edit, error)
	// Diagnostic is the diagnostic a quick fix addresses.
	Diagnostic *Diagnostic
}

// Resolve returns the action's edits, computing them when they are lazy.
func (a *Action) Resolve() ([]analysis.Edit, error) {
	if a.Edits != nil || a.Lazy == nil {
		return a.Edits, nil
	}
	edits, err := a.Lazy()
	if err != nil {
		return nil, err
	}
	a.Edits = edits
	return edits, nil
}

// Skip is a producer's reason for offering nothing, or its failure.
type Skip struct {
	Producer string
	Reason   string
	Err      error // set when the producer failed
}

// producer computes the actions of one kind.
type producer struct {
	name string
	kind Kind
	// auto reports whether the producer runs on automatic requests;
	// refactorings run there only when the client asks for their kind.
	auto bool
	// explicit reports whether the producer runs only when the client asks
	// for its kind: fix-all is for an editor's fix-on-save, not the menu.
	explicit bool
	// fn stops early, offering nothing, when ctx is cancelled.
	fn func(ctx context.Context, r *Request) ([]Action, string)
}

// producers is the table of every action Stagehand offers. Those whose
// checks walk the stage for each of its instructions take the request's
// context; the others are quick.
var producers = []producer{
	{name: "quickfix", kind: QuickFix, auto: true, fn: quick(quickFixes)},
	{name: "splitStage", kind: SplitStageKind, fn: quick(splitStage)},
	{name: "buildRuntime", kind: BuildRuntime, fn: buildRuntime},
	{name: "reorderLayers", kind: ReorderLayers, fn: quick(reorderLayers)},
	{name: "cacheMount", kind: CacheMount, fn: cacheMount},
	{name: "fixAll", kind: SourceFixAll, explicit: true, fn: quick(fixAll)},
}

// quick adapts a producer that does not need the request's context.
func quick(f func(r *Request) ([]Action, string)) func(context.Context, *Request) ([]Action, string) {
	return func(_ context.Context, r *Request) ([]Action, string) { return f(r) }
}

// wanted reports whether producer p runs for r.
func (r *Request) wanted(p producer) bool {
	if len(r.Only) == 0 {
		return !p.explicit && (p.auto || r.Trigger == Invoked)
	}
	return kindAllowed(p.kind, r.Only)
}

// Actions returns the actions for r and the producers that offered
// nothing, with their reasons. A producer that panics is skipped with its
// error; it never takes the others down. When ctx is cancelled, Actions
// stops early and returns what it has: the caller sends nothing.
func Actions(ctx context.Context, r *Request) ([]Action, []Skip) {
	var out []Action
	var skips []Skip
	if r.Index == nil || r.Index.ParseError != nil {
		return nil, []Skip{{Producer: "all", Reason: "the document does not parse"}}
	}
	for _, p := range producers {
		if ctx.Err() != nil {
			break
		}
		if !r.wanted(p) {
			continue
		}
		acts, reason, err := run(ctx, p, r)
		switch {
		case err != nil:
			skips = append(skips, Skip{Producer: p.name, Err: err})
		case len(acts) == 0 && reason != "":
			skips = append(skips, Skip{Producer: p.name, Reason: reason})
		}
		for _, a := range acts {
			if !kindAllowed(a.Kind, r.Only) {
				continue
			}
			out = append(out, a)
		}
	}
	return out, skips
}

func kindAllowed(k Kind, only []Kind) bool {
	if len(only) == 0 {
		return true
	}
	for _, o := range only {
		if k.Within(o) {
			return true
		}
	}
	return false
}

func run(ctx context.Context, p producer, r *Request) (acts []Action, reason string, err error) {
	defer func() {
		if v := recover(); v != nil {
			acts, err = nil, fmt.Errorf("producer %s panicked: %v", p.name, v)
		}
	}()
	acts, reason = p.fn(ctx, r)
	return acts, reason, nil
}

// Find returns the action of r called id, for resolving it, or ctx's
// error when ctx is cancelled.
func Find(ctx context.Context, r *Request, id string) (*Action, error) {
	acts, _ := Actions(ctx, r)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i := range acts {
		if acts[i].ID == id {
			return &acts[i], nil
		}
	}
	return nil, fmt.Errorf("no code action %q here any more", id)
}
