package server

import (
	"context"
	"encoding/json"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/codeaction"
)

func init() {
	advertise(func(s *Server, caps *protocol.ServerCapabilities) {
		opts := &protocol.CodeActionOptions{}
		for _, k := range codeaction.Kinds {
			opts.CodeActionKinds = append(opts.CodeActionKinds, protocol.CodeActionKind(k))
		}
		if s.options().resolveEdits {
			yes := true
			opts.ResolveProvider = &yes
		}
		caps.CodeActionProvider = opts
	})
}

// actionData is what a lazily resolved action carries to codeAction/resolve.
type actionData struct {
	URI     string                    `json:"uri"`
	Version int32                     `json:"version"`
	Range   protocol.Range            `json:"range"`
	Only    []protocol.CodeActionKind `json:"only,omitempty"`
	ID      string                    `json:"id"`
}

// CodeAction answers textDocument/codeAction from the codeaction package.
// Clients that cannot resolve an action's edit get every edit at once.
// Actions are CodeAction literals even for a client that does not declare
// codeActionLiteralSupport: Stagehand has no commands to fall back on, and
// every client measured here (VS Code, Neovim, eglot, ALE) takes literals.
func (s *Server) CodeAction(ctx context.Context, params *protocol.CodeActionParams) ([]protocol.CommandOrCodeAction, error) {
	snap, err := s.snapshot(ctx, params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	req, ok := s.actionRequest(snap, params.Range, params.Context.Only, params.Context.TriggerKind)
	if !ok {
		return []protocol.CommandOrCodeAction{}, nil
	}
	acts, skips := codeaction.Actions(ctx, req)
	if err := ctx.Err(); err != nil {
		return nil, err // cancelled: send nothing
	}
	s.logSkips(skips)
	return s.toCodeActions(ctx, snap, acts, params)
}

// toCodeActions converts acts, leaving out those whose edit fails, and
// stops when the request is cancelled.
func (s *Server) toCodeActions(ctx context.Context, snap *Snapshot, acts []codeaction.Action, params *protocol.CodeActionParams) ([]protocol.CommandOrCodeAction, error) {
	out := []protocol.CommandOrCodeAction{}
	for i := range acts {
		if err := ctx.Err(); err != nil {
			return nil, err // resolving an action may be costly
		}
		if ca, ok := s.toCodeAction(snap, &acts[i], params); ok {
			out = append(out, ca)
		}
	}
	return out, nil
}

// logSkips logs why producers offered nothing.
func (s *Server) logSkips(skips []codeaction.Skip) {
	for _, sk := range skips {
		if sk.Err != nil {
			s.log.Error("code action producer failed", zap.String("producer", sk.Producer), zap.Error(sk.Err))
		} else {
			s.log.Debug("code action not offered", zap.String("producer", sk.Producer), zap.String("reason", sk.Reason))
		}
	}
}

// toCodeAction converts a: its edit, or the data to resolve it with later
// when it is lazy and the client resolves edits. An action whose edit
// fails is logged and left out.
func (s *Server) toCodeAction(snap *Snapshot, a *codeaction.Action, params *protocol.CodeActionParams) (*protocol.CodeAction, bool) {
	kind := protocol.CodeActionKind(a.Kind)
	ca := &protocol.CodeAction{Title: a.Title, Kind: &kind}
	if a.Preferred {
		ca.IsPreferred = ptr(true)
	}
	if a.Diagnostic != nil {
		ca.Diagnostics = []protocol.Diagnostic{matchDiagnostic(snap, a.Diagnostic, params.Context.Diagnostics, s.encoding())}
	}
	if a.Lazy != nil && s.options().resolveEdits {
		data, err := json.Marshal(actionData{URI: snap.URI, Version: snap.Version, Range: params.Range, Only: params.Context.Only, ID: a.ID})
		ca.Data = data
		return ca, err == nil
	}
	edits, err := a.Resolve()
	if err != nil {
		s.log.Error("code action failed", zap.String("id", a.ID), zap.Error(err))
		return nil, false
	}
	ca.Edit = s.documentEdit(snap, edits)
	return ca, true
}

// CodeActionResolve computes the edit of an action CodeAction left lazy.
// An action of an older version of the document is refused: its edit would
// apply to text that is no longer there.
func (s *Server) CodeActionResolve(ctx context.Context, params *protocol.CodeAction) (*protocol.CodeAction, error) {
	snap, a, err := s.lazyAction(ctx, params.Data)
	if err != nil {
		return nil, err
	}
	edits, err := a.Resolve()
	if err != nil {
		return nil, err
	}
	res := *params
	res.Edit = s.documentEdit(snap, edits)
	return &res, nil
}

// lazyAction finds the action that CodeAction left lazy with raw as its
// data, in the same version of the document.
func (s *Server) lazyAction(ctx context.Context, raw []byte) (*Snapshot, *codeaction.Action, error) {
	var data actionData
	if err := json.Unmarshal(raw, &data); err != nil || data.ID == "" {
		return nil, nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "code action without resolve data")
	}
	snap, err := s.snapshot(ctx, uri.URI(data.URI))
	if err != nil {
		return nil, nil, err
	}
	if snap.Version != data.Version {
		return nil, nil, protocol.ErrContentModified
	}
	req, ok := s.actionRequest(snap, data.Range, data.Only, protocol.CodeActionTriggerKindInvoked)
	if !ok {
		return nil, nil, protocol.ErrContentModified
	}
	a, err := codeaction.Find(ctx, req, data.ID)
	if cerr := ctx.Err(); cerr != nil {
		return nil, nil, cerr
	}
	if err != nil {
		return nil, nil, jsonrpc2.Errorf(protocol.CodeContentModified, "%v", err)
	}
	return snap, a, nil
}

// actionRequest builds the codeaction request for a range of snap.
func (s *Server) actionRequest(snap *Snapshot, r protocol.Range, only []protocol.CodeActionKind, trigger protocol.CodeActionTriggerKind) (*codeaction.Request, bool) {
	ix, ok := snap.Current()
	if !ok {
		return nil, false
	}
	span, _ := fromRange(snap.Doc, r, s.encoding())
	req := &codeaction.Request{Index: ix, Span: span, Context: s.buildContext(snap.Path)}
	for _, c := range s.givenContexts(string(snap.URI)) {
		req.Reserved = append(req.Reserved, c.Name)
	}
	for _, k := range only {
		req.Only = append(req.Only, codeaction.Kind(k))
	}
	if trigger == protocol.CodeActionTriggerKindAutomatic {
		req.Trigger = codeaction.Automatic
	}
	if wantsQuickFixes(req.Only) {
		// The fixes of the diagnostics published for this version.
		req.Diagnostics = codeaction.FromRules(s.diagnostics(snap).found)
	}
	return req, true
}

// wantsQuickFixes reports whether only asks for actions made of the
// diagnostics' fixes: quick fixes or fix-all.
func wantsQuickFixes(only []codeaction.Kind) bool {
	if len(only) == 0 {
		return true
	}
	for _, k := range only {
		if codeaction.QuickFix.Within(k) || codeaction.SourceFixAll.Within(k) || k.Within(codeaction.SourceFixAll) {
			return true
		}
	}
	return false
}

// matchDiagnostic returns the client's diagnostic that d is, matched by
// rule and range, or d as the server publishes it.
func matchDiagnostic(snap *Snapshot, d *codeaction.Diagnostic, sent []protocol.Diagnostic, enc analysis.Encoding) protocol.Diagnostic {
	r := toRange(snap.Doc, d.Span, enc)
	for _, c := range sent {
		if code, ok := c.Code.(protocol.String); ok && string(code) == d.Rule && c.Range == r {
			return c
		}
	}
	return protocol.Diagnostic{
		Range:   r,
		Code:    protocol.String(d.Rule),
		Source:  protocol.NewOptional("stagehand"),
		Message: protocol.String(d.Message),
	}
}

// documentEdit converts edits of snap, versioned when the client takes
// documentChanges.
func (s *Server) documentEdit(snap *Snapshot, edits []analysis.Edit) *protocol.WorkspaceEdit {
	v := snap.Version
	return s.workspaceEdit([]fileEdits{{uri: uri.URI(snap.URI), version: &v, edits: toTextEdits(snap.Doc, edits, s.encoding())}})
}
