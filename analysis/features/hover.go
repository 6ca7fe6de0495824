package features

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// HoverInfo is what to show for a position: Markdown about the thing whose
// span is Span.
type HoverInfo struct {
	Span     analysis.Span
	Markdown string
}

// Hover explains what is at off: a stage reference that resolves to one
// of the named contexts, or a stage name a context replaces (see
// contextHover); else a stage name or reference (its base chain, line,
// what it copies from and what uses it), a variable, an instruction
// keyword, a flag, a `--mount` key or a parser directive.
func Hover(ix *analysis.Index, off int, contexts []analysis.NamedContext) (HoverInfo, bool) {
	return HoverIn(ix, off, contexts, nil)
}

// HoverIn is Hover for a file the builds build: a variable's use is read
// in the build states of the builds reaching its stage (Model.ViewsAt),
// and when they read it differently the hover says what it is in each,
// labelled by the builds (as BuildsHover labels a stage reference).
func HoverIn(ix *analysis.Index, off int, contexts []analysis.NamedContext, builds []analysis.BuildSpec) (HoverInfo, bool) {
	if h, ok := contextHover(ix, off, contexts); ok {
		return h, true
	}
	return hover(ix, off, contexts, builds)
}

// contextHover explains a stage reference at off that resolves to one of
// the named contexts: what the context names and where it is given; on
// the name of a stage a context replaces, that it is replaced.
func contextHover(ix *analysis.Index, off int, contexts []analysis.NamedContext) (HoverInfo, bool) {
	if len(contexts) == 0 {
		return HoverInfo{}, false
	}
	r, ok := ix.RefAt(off)
	if !ok {
		// A stage's name: say when a context replaces the stage.
		for st := range ix.StageCount() {
			if ns := ix.Stage(st).NameSpan; ns.Start <= off && off <= ns.End && ns.End > ns.Start {
				if c, ok := ix.Model().ReplacedBy(st, contexts); ok {
					md := fmt.Sprintf("**stage replaced by the named build context `%s`** · `%s`\n\nGiven by %s. BuildKit uses the context for this stage and runs none of its instructions.", c.Name, c.Value, c.Source)
					return HoverInfo{Span: ns, Markdown: md}, true
				}
			}
		}
		return HoverInfo{}, false
	}
	res, c := ix.Model().ResolveIn(r, contexts)
	if res != analysis.ResolvesContext {
		return HoverInfo{}, false
	}
	md := fmt.Sprintf("**named build context `%s`** · `%s`\n\nGiven by %s. BuildKit uses it instead of pulling an image named `%s`.", c.Name, c.Value, givers(c, contexts), r.Value)
	return HoverInfo{Span: r.Span, Markdown: md}, true
}

// givers names where the contexts like c (its name and value) are
// given, each place once: "compose.yaml:6, service app;
// docker-bake.hcl:9, target dev", as definition lists them.
func givers(c analysis.NamedContext, contexts []analysis.NamedContext) string {
	var out []string
	for _, d := range contexts {
		if d.Name == c.Name && d.Value == c.Value && !slices.Contains(out, d.Source) {
			out = append(out, d.Source)
		}
	}
	if len(out) < 2 {
		return c.Source
	}
	return strings.Join(out, "; ")
}

func hover(ix *analysis.Index, off int, contexts []analysis.NamedContext, builds []analysis.BuildSpec) (HoverInfo, bool) {
	if t, ok := ix.ReferentAt(off); ok {
		if t.Kind == analysis.ReferentStage {
			return HoverInfo{Span: t.At, Markdown: stageHover(ix, t.Stage, contexts)}, true
		}
		return HoverInfo{Span: t.At, Markdown: varHoverIn(ix, off, t, contexts, builds)}, true
	}
	for _, d := range ix.Directives {
		if d.NameSpan.Contains(off) {
			if info := analysis.LookupDirective(d.Name); info != nil {
				return HoverInfo{Span: d.NameSpan, Markdown: docMarkdown("# "+info.Name+"=", "", info.Doc, info.URL)}, true
			}
		}
	}
	n, ok := ix.NodeAt(off)
	if !ok {
		return HoverInfo{}, false
	}
	if u, un, ok := ix.VarUseAt(off); ok {
		name := u.Name.Value
		md := fmt.Sprintf("`$%s` is not declared here", name)
		switch _, global := ix.GlobalArg(name); {
		case analysis.IsBuiltinArg(name):
			md = fmt.Sprintf("**ARG `%s`** · predefined by BuildKit", name)
		case global && un.Cmd != "from":
			md += fmt.Sprintf(": the global ARG %s is seen in a stage only after `ARG %s` there", name, name)
		}
		return HoverInfo{Span: u.Name.Span, Markdown: md}, true
	}
	info := analysis.LookupInstruction(n.Cmd)
	if info == nil {
		return HoverInfo{}, false
	}
	if kw := n.Abs(n.Keyword.Span); kw.Contains(off) {
		return HoverInfo{Span: kw, Markdown: docMarkdown(info.Name, info.Syntax, info.Doc, info.URL)}, true
	}
	for _, f := range n.Flags {
		fs := n.Abs(f.Span)
		if !fs.Contains(off) {
			continue
		}
		name := analysis.Span{Start: fs.Start, End: n.Abs(f.Name.Span).End}
		if f.Name.Value == "mount" && f.HasValue && !name.Contains(off) {
			v := analysis.Token{Span: n.Abs(f.Value.Span), Value: f.Value.Value}
			if h, ok := mountHover(analysis.ReadMount(v, ix.Doc.Slice(v.Span), ix.Escape), off); ok {
				return h, true
			}
		}
		fi := info.Flag(f.Name.Value)
		if fi == nil {
			return HoverInfo{}, false
		}
		url := fi.URL
		if url == "" {
			url = info.URL
		}
		doc := fi.Doc
		if note := analysis.SinceNote(n.Cmd, fi.Name); note != "" {
			doc += "\n\n" + note
		}
		return HoverInfo{Span: name, Markdown: docMarkdown("--"+fi.Name, info.Name+" --"+fi.Name+placeholder(fi), doc, url)}, true
	}
	return HoverInfo{}, false
}

func placeholder(fi *analysis.FlagInfo) string {
	if fi.Placeholder == "" {
		return ""
	}
	return "=" + fi.Placeholder
}

// mountHover explains the key or type at off in a `--mount` value whose
// spans are exact.
func mountHover(m analysis.Mount, off int) (HoverInfo, bool) {
	f, ok := m.FieldAt(off)
	if !m.Exact || !ok {
		return HoverInfo{}, false
	}
	if f.HasValue && f.Name() == "type" && off > f.Key.Span.End {
		if t := analysis.LookupMountType(f.Value.Value); t != nil {
			return HoverInfo{Span: f.Value.Span, Markdown: docMarkdown("type="+t.Name, "", t.Doc, t.URL)}, true
		}
	}
	if k := analysis.LookupMountKey(f.Key.Value); k != nil && f.Key.Span.Contains(off) {
		return HoverInfo{Span: f.Key.Span, Markdown: docMarkdown(k.Name, "", k.Doc, analysis.DockerfileReference+"#run---mount")}, true
	}
	return HoverInfo{}, false
}

func docMarkdown(title, syntax, doc, url string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n\n", title)
	if syntax != "" {
		fmt.Fprintf(&b, "```dockerfile\n%s\n```\n\n", syntax)
	}
	b.WriteString(doc)
	if url != "" {
		fmt.Fprintf(&b, "\n\n[Dockerfile reference](%s)", url)
	}
	return b.String()
}

// stageChain returns stage s, the stages it is built on and, at the end,
// the base image of the first of them: `test <- build <- golang:1.23`. A
// FROM built from ARGs is followed as the build model follows it (to the
// stage the defaults name), and an image built from them shows what the
// defaults make of it: `build <- golang:1.23 (${IMG}:${V})`.
//
// A stage a named context replaces ends the chain with the context:
// `test <- build (context build: docker-image://golang:1.23)`.
func stageChain(ix *analysis.Index, s int, contexts []analysis.NamedContext) string {
	parts := []string{stageShort(ix, s)}
	m := ix.Model()
	for hops := 0; hops <= ix.StageCount(); hops++ {
		if c, ok := m.ReplacedBy(s, contexts); ok {
			parts[len(parts)-1] += fmt.Sprintf(" (context %s: %s)", c.Name, c.Value)
			break
		}
		st := ix.Stage(s)
		b := m.BaseOf(s)
		if b < 0 || b >= s {
			base := st.Base
			if base == "" {
				base = "?"
			} else if v, ok := expandBase(ix, base); ok && v != base && v != "" {
				base = v + " (" + base + ")"
			}
			parts = append(parts, base)
			break
		}
		s = b
		parts = append(parts, stageShort(ix, s))
	}
	return strings.Join(parts, " <- ")
}

// stageShort names stage s briefly: its name or `stage N`.
func stageShort(ix *analysis.Index, s int) string {
	if st := ix.Stage(s); st.Name != "" {
		return st.Name
	}
	return fmt.Sprintf("stage %d", s)
}

func stageHover(ix *analysis.Index, s int, contexts []analysis.NamedContext) string {
	st := ix.Stage(s)
	var b strings.Builder
	title := fmt.Sprintf("stage `%s`", st.Name)
	if st.Name == "" {
		title = fmt.Sprintf("stage %d (unnamed)", s)
	}
	fmt.Fprintf(&b, "**%s** · line %d", title, ix.Doc.LineOf(st.Span.Start)+1)
	if st.Platform != "" {
		fmt.Fprintf(&b, " · platform `%s`", st.Platform)
	}
	if desc := ix.StageDescription(s); desc != "" {
		fmt.Fprintf(&b, "\n\n%s", desc)
	}
	fmt.Fprintf(&b, "\n\n`%s`", stageChain(ix, s, contexts))

	var copies []string
	seen := map[int]bool{}
	for i := st.First + 1; i < st.End; i++ {
		n := ix.Node(i)
		for _, r := range n.Refs {
			if r.Resolution == analysis.ResolvesStage && !seen[r.Target] {
				seen[r.Target] = true
				copies = append(copies, fmt.Sprintf("`%s`", stageShort(ix, r.Target)))
			}
		}
	}
	if len(copies) > 0 {
		fmt.Fprintf(&b, "\n\nCopies from: %s", strings.Join(copies, ", "))
	}
	var uses []string
	for _, r := range ix.StageUses(s) {
		what := map[analysis.RefKind]string{analysis.RefFrom: "FROM", analysis.RefCopyFrom: "--from", analysis.RefMountFrom: "--mount from"}[r.Kind]
		where := "before any stage"
		if r.Stage >= 0 {
			where = "`" + stageShort(ix, r.Stage) + "`"
		}
		note := ""
		if r.Resolution == analysis.ResolvesLaterStage {
			note = ", too early: BuildKit fails"
		}
		uses = append(uses, fmt.Sprintf("%s (%s, line %d%s)", where, what, ix.Doc.LineOf(r.Span.Start)+1, note))
	}
	// A stage named scratch is what the RUN mounts without from= use.
	if m := ix.Model(); s == m.ScratchStage() {
		for u := range ix.StageCount() {
			if u != s && m.MountsWithoutFrom(u) {
				uses = append(uses, fmt.Sprintf("`%s` (--mount without from=, in the stage at line %d)", stageShort(ix, u), ix.Doc.LineOf(ix.Stage(u).Span.Start)+1))
			}
		}
	}
	if len(uses) == 0 {
		if s == ix.StageCount()-1 {
			b.WriteString("\n\nUsed by: nothing; it is the final stage")
		} else {
			b.WriteString("\n\nUsed by: nothing")
		}
	} else {
		fmt.Fprintf(&b, "\n\nUsed by: %s", strings.Join(uses, ", "))
	}
	return b.String()
}

// varHoverIn is varHover read in the build states of the builds reaching
// the use's stage: one text when they agree, else one per distinct text,
// labelled by its builds ("in target ci: ... \n\nin target release: ...").
// Without builds, the build given the contexts.
func varHoverIn(ix *analysis.Index, off int, t analysis.Referent, contexts []analysis.NamedContext, builds []analysis.BuildSpec) string {
	n, ok := ix.NodeAt(off)
	if !ok || len(builds) == 0 {
		return varHover(ix, off, t, ix.Model().In(contexts), contexts)
	}
	views := ix.Model().ViewsAt(ix.StageOf(n.Index), builds)
	var texts []string
	var by [][]int
	for _, v := range views {
		md := varHover(ix, off, t, v.Build, v.Contexts)
		if j := slices.Index(texts, md); j >= 0 {
			by[j] = append(by[j], v.Builds...)
			continue
		}
		texts, by = append(texts, md), append(by, slices.Clone(v.Builds))
	}
	if len(texts) == 1 {
		return texts[0]
	}
	name := t.Var.Decl.Name.Value
	if u, ok := analysis.UseAt(ix.UsesOf(n), off-n.Start); ok {
		name = u.Name.Value
	}
	parts := make([]string, 0, len(texts))
	for j, md := range texts {
		slices.Sort(by[j])
		parts = append(parts, "in "+analysis.Labels(builds, by[j])+": "+md)
	}
	return fmt.Sprintf("**`$%s` differs between builds**\n\n%s", name, strings.Join(parts, "\n\n"))
}

// varHover explains variable t at off in build b, given the contexts
// that make it.
func varHover(ix *analysis.Index, off int, t analysis.Referent, b analysis.Build, contexts []analysis.NamedContext) string {
	site := t.Var
	// Show the declaration in scope where there is one, and the value the
	// build model gives there.
	value, hasValue := "", false
	if n, ok := ix.NodeAt(off); ok {
		if u, ok := analysis.UseAt(ix.UsesOf(n), off-n.Start); ok {
			s, ok := b.ResolveVar(n.Index, u.Name.Value)
			if !ok {
				return replacedVarHover(ix, n.Index, u.Name.Value, contexts)
			}
			site = s
			value, hasValue = b.State(n.Index).Var(u.Name.Value)
		}
	}
	d := site.Decl
	kw := "ARG"
	if d.IsEnv {
		kw = "ENV"
	}
	var w strings.Builder
	fmt.Fprintf(&w, "**%s `%s`**", kw, d.Name.Value)
	if d.HasDefault {
		// As written: the scan's value has the escapes taken out, which
		// BuildKit keeps for the lexer (`${P/\//-}`).
		fmt.Fprintf(&w, " = `%s`", ix.Doc.Slice(ix.Node(site.Instruction).Abs(d.Value.Span)))
	}
	scope := "global"
	if s := ix.StageOf(site.Instruction); s >= 0 {
		scope = "in stage `" + stageShort(ix, s) + "`"
	}
	fmt.Fprintf(&w, " · %s · line %d", scope, ix.Doc.LineOf(site.NameSpan.Start)+1)
	if hasValue && (!d.HasDefault || value != d.Value.Value) {
		fmt.Fprintf(&w, "\n\nHere, in a build without build arguments: `%s`", value)
	}
	return w.String()
}

// replacedVarHover explains a use of name in instruction i that only a
// stage a named context replaces declares: the stage holding the use is
// built on the context, which runs none of that stage's ARG and ENV.
func replacedVarHover(ix *analysis.Index, i int, name string, contexts []analysis.NamedContext) string {
	md := fmt.Sprintf("`$%s` is not declared here", name)
	m := ix.Model()
	for s, hops := ix.StageOf(i), 0; s >= 0 && hops <= ix.StageCount(); hops++ {
		if c, ok := m.ReplacedBy(s, contexts); ok {
			md += fmt.Sprintf(": this stage is built on stage `%s`, which the named build context `%s` (`%s`, given by %s) replaces, so no ARG or ENV of that stage or those it is built on reaches here (the context's image may set it)", stageShort(ix, s), c.Name, c.Value, c.Source)
			break
		}
		s = m.BaseOf(s)
	}
	return md
}
