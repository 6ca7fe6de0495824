package server

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/features"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
)

// namedContexts returns the named build contexts the workspace (Compose,
// Bake, scripts) gives the Dockerfile at rawURI, for the rules and hover,
// as one list for all its builds (workspace.RuleContexts).
func (s *Server) namedContexts(rawURI string) []analysis.NamedContext {
	p, ok := docPath(rawURI)
	if !ok {
		return nil
	}
	var dix *analysis.Index
	if snap, ok := s.docs.get(uri.URI(rawURI)); ok {
		dix, _ = snap.Current()
	}
	return s.ws.ruleContexts(p, dix)
}

// buildSpecs returns the builds of the Dockerfile at rawURI, each with
// the stages it names and the contexts it gives, for what tells builds
// apart (the rules, definition, hover, lenses); nil when no build gives
// a named context, which makes them all alike.
func (s *Server) buildSpecs(rawURI string) []analysis.BuildSpec {
	p, ok := docPath(rawURI)
	if !ok {
		return nil
	}
	ix := s.ws.index()
	if len(ix.ContextsFor(p)) == 0 {
		return nil
	}
	return workspace.Specs(ix.BuildsFor(p))
}

// givenContexts returns every named build context any build of the
// Dockerfile at rawURI is given, replacing a stage or not. A rename keeps
// each meaning what it did in every build, where the rules and hover take
// a context that replaces a stage another build runs as no replacement
// (namedContexts).
func (s *Server) givenContexts(rawURI string) []analysis.NamedContext {
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

// contextLocations places the names of named contexts in the files that
// give them.
func (s *Server) contextLocations(cs []analysis.NamedContext) protocol.LocationSlice {
	var out protocol.LocationSlice
	for _, c := range cs {
		doc, u, _, ok := s.fileDoc(c.File)
		if !ok {
			continue
		}
		out = append(out, protocol.Location{URI: u, Range: toRange(doc, c.Span, s.encoding())})
	}
	return out
}

// contextDefinition answers definition on a reference that resolves to a
// named context: the context's name where the workspace gives it.
func (s *Server) contextDefinition(p position) (protocol.LocationSlice, bool) {
	if locs, ok := s.buildsDefinition(p); ok {
		return locs, true
	}
	_, cs, ok := p.ix.ContextAt(p.off, s.contextsAt(p, s.buildSpecs(string(p.uri))))
	if !ok {
		return nil, false
	}
	return s.contextLocations(cs), true
}

// contextsAt returns the named contexts a place in the Dockerfile is read
// with: when the builds reaching its stage share one build state, that
// state's contexts (a stage only a build replacing its base reaches reads
// the context, though the one list for all builds takes it as no
// replacement); else the one list (namedContexts), and the features
// telling builds apart (BuildsHover, buildsDefinition) say the rest.
func (s *Server) contextsAt(p position, builds []analysis.BuildSpec) []analysis.NamedContext {
	if len(builds) > 0 {
		if vs := p.ix.Model().ViewsAt(p.ix.StageAt(p.off), builds); len(vs) == 1 {
			return vs[0].Contexts
		}
	}
	return s.namedContexts(string(p.uri))
}

// buildsDefinition answers definition on a stage reference whose meaning
// differs between the builds of the Dockerfile (a context in one, the
// stage in another): every meaning's location, in the order of the first
// build meaning it. ok is false when every build gives it one meaning.
func (s *Server) buildsDefinition(p position) (protocol.LocationSlice, bool) {
	builds := s.buildSpecs(string(p.uri))
	if len(builds) < 2 {
		return nil, false
	}
	r, ok := p.ix.RefAt(p.off)
	if !ok {
		return nil, false
	}
	ms := p.ix.Model().Meanings(r, builds)
	if len(ms) < 2 {
		return nil, false
	}
	var locs protocol.LocationSlice
	for _, mn := range ms {
		if mn.Resolution != analysis.ResolvesContext {
			locs = append(locs, p.locations(features.DefinitionsIn(p.ix, p.off, builds))...)
			continue
		}
		locs = append(locs, s.contextLocations(appendGiven(nil, builds, mn))...)
	}
	return locs, true
}

// buildsContextLocations places, for a stage reference at p that some
// builds resolve to a named context and others to the stage, where the
// workspace gives that context: a declaration of the name as well
// (buildsDefinition's context half).
func (s *Server) buildsContextLocations(p position) protocol.LocationSlice {
	builds := s.buildSpecs(string(p.uri))
	if len(builds) < 2 {
		return nil
	}
	r, ok := p.ix.RefAt(p.off)
	if !ok {
		return nil
	}
	var given []analysis.NamedContext
	if ms := p.ix.Model().Meanings(r, builds); len(ms) > 1 {
		for _, mn := range ms {
			if mn.Resolution == analysis.ResolvesContext {
				given = appendGiven(given, builds, mn)
			}
		}
	}
	return s.contextLocations(given)
}

// appendGiven appends to given the contexts named as meaning mn's that
// its builds give, each once.
func appendGiven(given []analysis.NamedContext, builds []analysis.BuildSpec, mn analysis.Meaning) []analysis.NamedContext {
	for _, b := range mn.Builds {
		for _, c := range builds[b].Contexts {
			if c.Name == mn.Context.Name && !slices.Contains(given, c) {
				given = append(given, c)
			}
		}
	}
	return given
}

// contextReferences answers references on a reference that resolves to a
// named context: its uses in the Dockerfile and, with the declarations,
// the stages it replaces and where the workspace gives it.
func (s *Server) contextReferences(p position, decl bool) ([]protocol.Location, bool) {
	contexts := s.contextsAt(p, s.buildSpecs(string(p.uri)))
	_, cs, ok := p.ix.ContextAt(p.off, contexts)
	if !ok {
		return nil, false
	}
	return s.contextNameLocations(p, cs[0].Name, contexts, decl), true
}

// contextNameLocations places the references to the named context name
// in the Dockerfile at in, which the workspace gives contexts: its uses
// and, with the declarations, the stages it replaces and where the
// workspace gives it.
func (s *Server) contextNameLocations(in position, name string, contexts []analysis.NamedContext, decl bool) []protocol.Location {
	uses, replaced := in.ix.ContextUses(name, contexts)
	if !decl {
		return in.locations(uses)
	}
	var given []analysis.NamedContext
	for _, c := range contexts {
		if c.Name == name {
			given = append(given, c)
		}
	}
	return append(in.locations(append(replaced, uses...)), s.contextLocations(given)...)
}

// contextRename refuses to rename a name that a named context takes: a
// reference resolving to the context, or a stage it replaces. Renamed in
// the Dockerfile alone, the references would name the stage, and BuildKit
// would build it instead of using the context.
func (s *Server) contextRename(p position) error {
	contexts := s.givenContexts(string(p.uri))
	if len(contexts) == 0 {
		return nil
	}
	_, cs, ok := p.ix.ContextAt(p.off, contexts)
	if !ok {
		st, isStage := stageAt(p)
		if !isStage {
			return nil
		}
		c, replaced := p.ix.Model().ReplacedBy(st, contexts)
		if !replaced {
			return nil
		}
		cs = []analysis.NamedContext{c}
	}
	var sources []string
	for _, c := range contexts {
		if c.Name == cs[0].Name && !slices.Contains(sources, c.Source) {
			sources = append(sources, c.Source)
		}
	}
	instead := "the stage"
	if p.ix.StageByName(cs[0].Name) < 0 {
		// No stage takes the name: the renamed reference would name an
		// image (or a stage of the new name).
		instead = "whatever the new name names (an image to pull)"
	}
	return fmt.Errorf("%q is the named build context %s gives: BuildKit uses the context for this name, and renaming it in the Dockerfile alone would make the build use %s instead", cs[0].Name, strings.Join(sources, "; "), instead)
}

// sited returns cs with each Source placing the context on its line in
// the giving file, "docker-bake.hcl:12, target release" (Source is the
// file's name, with the line the workspace read, then the owner): the
// line of the file's text now; with link, the place is a markdown
// link to the line ("[docker-bake.hcl:12](file:///...#L12)"). A context
// whose file cannot be read keeps its Source.
func (s *Server) sited(cs []analysis.NamedContext, link bool, docs map[string]*analysis.Document) []analysis.NamedContext {
	if len(cs) == 0 {
		return cs
	}
	out := make([]analysis.NamedContext, len(cs))
	for i, c := range cs {
		out[i] = c
		base := filepath.Base(c.File)
		if c.File == "" || !strings.HasPrefix(c.Source, base) {
			continue
		}
		doc, ok := docs[c.File]
		if !ok {
			doc, _, _, _ = s.fileDoc(c.File)
			docs[c.File] = doc
		}
		if doc == nil || c.Span.Start > doc.Len() {
			continue
		}
		line := doc.LineOf(c.Span.Start) + 1
		site := workspace.Site(c.File, line)
		if link {
			target := strings.NewReplacer("(", "%28", ")", "%29").Replace(string(uri.File(c.File)))
			site = fmt.Sprintf("[%s](%s#L%d)", site, target, line)
		}
		// The workspace's Source may place it already ("docker-bake.hcl:8,
		// target release"): its place is this one.
		_, owner, _ := strings.Cut(c.Source, ", ")
		out[i].Source = site + ", " + owner
	}
	return out
}

// sitedBuilds is sited for the contexts of each build.
func (s *Server) sitedBuilds(builds []analysis.BuildSpec, link bool, docs map[string]*analysis.Document) []analysis.BuildSpec {
	if len(builds) == 0 {
		return builds
	}
	out := make([]analysis.BuildSpec, len(builds))
	for i, b := range builds {
		out[i] = b
		out[i].Contexts = s.sited(b.Contexts, link, docs)
	}
	return out
}
