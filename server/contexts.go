package server

import "github.com/stagehand-ls/stagehand/analysis"

// namedContexts returns the named build contexts the workspace (Compose,
// Bake, scripts) gives the Dockerfile at rawURI, for the rules and hover.
func (s *Server) namedContexts(rawURI string) []analysis.NamedContext {
	p, ok := docPath(rawURI)
	if !ok {
		return nil
	}
	var out []analysis.NamedContext
	for _, c := range s.ws.index().ContextsFor(p) {
		out = append(out, c.Analysis())
	}
	return out
}
