package analysis

import (
	"fmt"
	"strings"
)

// HoverInfo is what to show for a position: Markdown about the thing whose
// span is Span.
type HoverInfo struct {
	Span     Span
	Markdown string
}

// Hover explains what is at off: a stage name or reference (its base
// chain, line, what it copies from and what uses it), a variable, an
// instruction keyword, a flag, a `--mount` key or a parser directive.
func (ix *Index) Hover(off int) (HoverInfo, bool) {
	if t, ok := ix.ReferentAt(off); ok {
		if t.Kind == ReferentStage {
			return HoverInfo{Span: t.At, Markdown: ix.stageHover(t.Stage)}, true
		}
		return HoverInfo{Span: t.At, Markdown: ix.varHover(off, t)}, true
	}
	for _, d := range ix.Directives {
		if d.NameSpan.Contains(off) {
			if info := LookupDirective(d.Name); info != nil {
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
		switch _, global := ix.globalArg(name, ix.n); {
		case IsBuiltinArg(name):
			md = fmt.Sprintf("**ARG `%s`** · predefined by BuildKit", name)
		case global && un.Cmd != "from":
			md += fmt.Sprintf(": the global ARG %s is seen in a stage only after `ARG %s` there", name, name)
		}
		return HoverInfo{Span: u.Name.Span, Markdown: md}, true
	}
	info := LookupInstruction(n.Cmd)
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
		name := Span{fs.Start, n.Abs(f.Name.Span).End}
		if f.Name.Value == "mount" && f.HasValue && !name.Contains(off) {
			v := Token{Span: n.Abs(f.Value.Span), Value: f.Value.Value}
			if h, ok := mountHover(ReadMount(v, ix.Doc.Slice(v.Span)), off); ok {
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
		if note := SinceNote(n.Cmd, fi.Name); note != "" {
			doc += "\n\n" + note
		}
		return HoverInfo{Span: name, Markdown: docMarkdown("--"+fi.Name, info.Name+" --"+fi.Name+placeholder(fi), doc, url)}, true
	}
	return HoverInfo{}, false
}

func placeholder(fi *FlagInfo) string {
	if fi.Placeholder == "" {
		return ""
	}
	return "=" + fi.Placeholder
}

// mountHover explains the key or type at off in a `--mount` value whose
// spans are exact.
func mountHover(m Mount, off int) (HoverInfo, bool) {
	f, ok := m.FieldAt(off)
	if !m.Exact || !ok {
		return HoverInfo{}, false
	}
	if f.HasValue && f.Name() == "type" && off > f.Key.Span.End {
		if t := LookupMountType(f.Value.Value); t != nil {
			return HoverInfo{Span: f.Value.Span, Markdown: docMarkdown("type="+t.Name, "", t.Doc, t.URL)}, true
		}
	}
	if k := LookupMountKey(f.Key.Value); k != nil && f.Key.Span.Contains(off) {
		return HoverInfo{Span: f.Key.Span, Markdown: docMarkdown(k.Name, "", k.Doc, ref("run---mount"))}, true
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

// StageChain returns stage s, the stages it is built on and, at the end,
// the base image of the first of them: `test <- build <- golang:1.23`.
func (ix *Index) StageChain(s int) string {
	parts := []string{ix.stageShort(s)}
	for hops := 0; hops <= len(ix.stages); hops++ {
		st := ix.Stage(s)
		if st.BaseStage < 0 {
			base := st.Base
			if base == "" {
				base = "?"
			}
			parts = append(parts, base)
			break
		}
		s = st.BaseStage
		parts = append(parts, ix.stageShort(s))
	}
	return strings.Join(parts, " <- ")
}

// stageShort names stage s briefly: its name or `stage N`.
func (ix *Index) stageShort(s int) string {
	if st := ix.Stage(s); st.Name != "" {
		return st.Name
	}
	return fmt.Sprintf("stage %d", s)
}

func (ix *Index) stageHover(s int) string {
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
	fmt.Fprintf(&b, "\n\n`%s`", ix.StageChain(s))

	var copies []string
	seen := map[int]bool{}
	for i := st.First + 1; i < st.End; i++ {
		n := ix.Node(i)
		for _, r := range n.Refs {
			if r.Resolution == ResolvesStage && !seen[r.Target] {
				seen[r.Target] = true
				copies = append(copies, fmt.Sprintf("`%s`", ix.stageShort(r.Target)))
			}
		}
	}
	if len(copies) > 0 {
		fmt.Fprintf(&b, "\n\nCopies from: %s", strings.Join(copies, ", "))
	}
	var uses []string
	for _, r := range ix.StageUses(s) {
		what := map[RefKind]string{RefFrom: "FROM", RefCopyFrom: "--from", RefMountFrom: "--mount from"}[r.Kind]
		where := "before any stage"
		if r.Stage >= 0 {
			where = "`" + ix.stageShort(r.Stage) + "`"
		}
		note := ""
		if r.Resolution == ResolvesLaterStage {
			note = ", too early: BuildKit fails"
		}
		uses = append(uses, fmt.Sprintf("%s (%s, line %d%s)", where, what, ix.Doc.LineOf(r.Span.Start)+1, note))
	}
	if len(uses) == 0 {
		if s == len(ix.stages)-1 {
			b.WriteString("\n\nUsed by: nothing; it is the final stage")
		} else {
			b.WriteString("\n\nUsed by: nothing")
		}
	} else {
		fmt.Fprintf(&b, "\n\nUsed by: %s", strings.Join(uses, ", "))
	}
	return b.String()
}

func (ix *Index) varHover(off int, t Referent) string {
	site := t.Var
	// Show the declaration in scope where there is one, and the value the
	// build model gives there.
	value, hasValue := "", false
	if n, ok := ix.NodeAt(off); ok {
		for _, u := range n.Uses {
			if n.Abs(u.Span).Contains(off) {
				if s, ok := ix.ResolveVar(n.Index, u.Name.Value); ok {
					site = s
				}
				value, hasValue = ix.Model().State(n.Index).Var(u.Name.Value)
			}
		}
	}
	d := site.Decl
	kw := "ARG"
	if d.IsEnv {
		kw = "ENV"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**%s `%s`**", kw, d.Name.Value)
	if d.HasDefault {
		fmt.Fprintf(&b, " = `%s`", d.Value.Value)
	}
	scope := "global"
	if s := ix.StageOf(site.Instruction); s >= 0 {
		scope = "in stage `" + ix.stageShort(s) + "`"
	}
	fmt.Fprintf(&b, " · %s · line %d", scope, ix.Doc.LineOf(site.NameSpan.Start)+1)
	if hasValue && (!d.HasDefault || value != d.Value.Value) {
		fmt.Fprintf(&b, "\n\nHere, in a build without build arguments: `%s`", value)
	}
	return b.String()
}
