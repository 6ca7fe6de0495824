package completion

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/stagehand-ls/stagehand/analysis"
)

// platformArgs are the ARGs BuildKit defines in the global scope (its
// dockerfile2llb defaultArgs): FROM lines and global ARG defaults may use
// them undeclared; a stage sees them after `ARG NAME`.
var platformArgs = []string{
	"BUILDPLATFORM", "BUILDOS", "BUILDOSVERSION", "BUILDARCH", "BUILDVARIANT",
	"TARGETPLATFORM", "TARGETOS", "TARGETOSVERSION", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE",
}

// proxyArgs are the predefined proxy ARGs, which BuildKit passes to RUN
// commands as environment variables when the build sets them.
var proxyArgs = func() []string {
	var out []string
	for _, a := range analysis.BuiltinArgs {
		if strings.HasSuffix(strings.ToLower(a), "_proxy") {
			out = append(out, a)
		}
	}
	return out
}()

// variables completes a name after `$` or `${` in the current word. ok is
// false when the offset is not in such a name.
func (c *context) variables() (items []Item, ok bool) {
	w := c.word[:c.cur]
	d := strings.LastIndexByte(w, '$')
	if d < 0 || d > 0 && w[d-1] == c.esc {
		return nil, false
	}
	ns := d + 1
	brace := ns < len(c.word) && c.word[ns] == '{'
	if brace {
		ns++
	}
	if ns > c.cur {
		return nil, false
	}
	// A name is what BuildKit's lexer reads after `$`: Unicode letters,
	// digits and `_` (`$café` names café); in a RUN's command, what the
	// shell reads, ASCII ones only (analysis.ShellReads).
	shell := c.inNode && analysis.ShellReads(c.node, c.off-c.node.Start)
	for i := ns; i < c.cur; {
		r, size := utf8.DecodeRuneInString(c.word[i:c.cur])
		if !analysis.IsNameRuneIn(r, shell) {
			return nil, false
		}
		i += size
	}
	ne := c.cur
	for ne < len(c.word) {
		r, size := utf8.DecodeRuneInString(c.word[ne:])
		if !analysis.IsNameRuneIn(r, shell) {
			break
		}
		ne += size
	}
	prefix := c.word[ns:c.cur]
	edit := c.span(c.ws+ns, c.ws+ne)
	// A `}` right after the name may close an expansion around this one
	// (`${A:-${|}`): the name needs its own unless more `}` follow than
	// expansions stay open around it.
	closeBrace := brace && (ne >= len(c.word) || c.word[ne] != '}' ||
		strings.Count(c.word[ne:], "}") <= openExpansions(c.word[:d], c.esc))

	var i int
	switch {
	case c.inNode:
		i = c.node.Index
	default:
		n, found := c.ix.NodeBefore(c.off)
		if !found {
			return nil, true
		}
		i = n.Index
	}
	add := func(name, detail, doc string) {
		if !hasPrefixFold(name, prefix) || !analysis.IsNameIn(name, shell) {
			return
		}
		it := Item{
			Label: name, Kind: Variable, Detail: detail, Documentation: doc,
			Edit: edit, InsertText: name, SortText: sortKey(len(items)),
		}
		if closeBrace {
			it.InsertText += "}"
		}
		items = append(items, it)
	}
	seen := map[string]bool{}
	for _, v := range c.visibleVars(i) {
		seen[v.Decl.Name.Value] = true
		kind := "ARG"
		if v.Decl.IsEnv {
			kind = "ENV"
		}
		detail := kind + " " + v.Decl.Name.Value
		if v.Decl.HasDefault {
			detail += "=" + v.Decl.Value.Value
		}
		if v.in != "" {
			detail += " (in " + v.in + ")"
		}
		line := c.doc.LineOf(v.NameSpan.Start)
		text := strings.TrimSpace(c.doc.Slice(analysis.Span{Start: c.doc.LineStart(line), End: c.doc.LineEnd(line)}))
		add(v.Decl.Name.Value, detail, "Declared on line "+itoa(line+1)+":\n```dockerfile\n"+text+"\n```")
	}
	global := c.kw == "from" || c.ix.StageOf(i) < 0
	if global {
		for _, a := range platformArgs {
			if !seen[a] {
				add(a, "predefined ARG", "Defined by BuildKit for the build's platforms; usable in FROM lines without a declaration.")
			}
		}
	}
	if c.kw == "run" {
		for _, a := range proxyArgs {
			if !seen[a] {
				add(a, "predefined ARG", "A proxy setting BuildKit passes to RUN commands when the build sets it.")
			}
		}
	}
	return items, true
}

// buildVar is a variable visible in some of the builds: in names them
// when not all the builds reaching the place see it.
type buildVar struct {
	analysis.VarSite
	in string
}

// visibleVars returns the variables visible at instruction i: the union
// over the build states of the builds reaching its stage, in the order
// of the first state seeing each name (its declaration there), naming
// the builds that see a variable when some do not. Without builds, the
// one build given the contexts.
func (c *context) visibleVars(i int) []buildVar {
	m := c.ix.Model()
	if len(c.opts.Builds) == 0 {
		var out []buildVar
		for _, v := range m.In(c.opts.Contexts).VisibleVars(i) {
			out = append(out, buildVar{VarSite: v})
		}
		return out
	}
	views := m.ViewsAt(c.ix.StageOf(i), c.opts.Builds)
	var out []buildVar
	var by [][]int
	at := map[string]int{}
	all := 0
	for _, v := range views {
		all += len(v.Builds)
		for _, s := range v.Build.VisibleVars(i) {
			j, ok := at[s.Decl.Name.Value]
			if !ok {
				j = len(out)
				at[s.Decl.Name.Value] = j
				out, by = append(out, buildVar{VarSite: s}), append(by, nil)
			}
			by[j] = append(by[j], v.Builds...)
		}
	}
	for j := range out {
		if len(by[j]) < all {
			slices.Sort(by[j])
			out[j].in = analysis.Labels(c.opts.Builds, by[j])
		}
	}
	return out
}

func isNameByte(b byte) bool {
	return b == '_' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// openExpansions counts the `${` in w that no `}` has closed yet.
func openExpansions(w string, esc byte) int {
	open := 0
	for i := 0; i < len(w); i++ {
		switch {
		case w[i] == esc:
			i++ // an escaped character opens and closes nothing
		case w[i] == '$' && i+1 < len(w) && w[i+1] == '{':
			open++
			i++
		case w[i] == '}' && open > 0:
			open--
		}
	}
	return open
}
