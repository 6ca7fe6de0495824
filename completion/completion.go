// Package completion decides what to offer at a byte offset of a
// Dockerfile: stage names where BuildKit resolves stages, instruction
// keywords, flags and their values, `RUN --mount` types and keys, variables
// in BuildKit's scope and the parser directives. It works on the analysis
// index and knows nothing of the protocol: the server converts its items.
package completion

import (
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// Kind tells what an item stands for.
type Kind int

const (
	Keyword   Kind = iota + 1 // an instruction keyword
	Stage                     // a build stage
	Flag                      // an instruction's --flag
	Value                     // an allowed value of a flag, key or directive
	MountType                 // a `RUN --mount` type
	MountKey                  // a key of a `RUN --mount` spec
	Variable                  // an ARG or ENV
	Directive                 // a parser directive name
	Rule                      // a check rule name in `# check=skip=`
	Target                    // a stage, offered as a target in a Compose, Bake, ... file
	Context                   // a named build context the project gives the Dockerfile
)

func (k Kind) String() string {
	switch k {
	case Keyword:
		return "keyword"
	case Stage:
		return "stage"
	case Flag:
		return "flag"
	case Value:
		return "value"
	case MountType:
		return "mount-type"
	case MountKey:
		return "mount-key"
	case Variable:
		return "variable"
	case Directive:
		return "directive"
	case Rule:
		return "rule"
	case Context:
		return "context"
	case Target:
		return "target"
	}
	return "unknown"
}

// Item is one thing to offer.
type Item struct {
	Label         string
	Kind          Kind
	Detail        string
	Documentation string        // markdown
	Edit          analysis.Span // the text the item replaces; it holds the offset asked about
	InsertText    string        // what replaces Edit
	SortText      string
	Snippet       bool // InsertText is a snippet (only when Options.Snippets)
	Stage         int  // for a stage item, the stage; StageDoc gives its documentation
}

// Options are what the client can take.
type Options struct {
	// Snippets allows snippet insert texts (`${1:name}` placeholders).
	Snippets bool
	// LazyStageDocs leaves stage items' documentation to StageDoc, for
	// clients that resolve items: a thousand stages' docs cost a millisecond.
	LazyStageDocs bool
	// Contexts are the named build contexts the project gives the
	// Dockerfile (Compose additional_contexts, Bake contexts,
	// --build-context): a FROM, --from or from= may name them.
	Contexts []analysis.NamedContext
	// Builds are the builds of the file the project knows, each with
	// its contexts: a variable is offered as the build states of the
	// builds reaching the stage see it (Model.ViewsAt). None: the one
	// build given Contexts.
	Builds []analysis.BuildSpec
}

// Complete returns the items to offer at off in the index's document, in
// no particular order (SortText orders them). An offset out of the
// document is clamped to it.
func Complete(ix *analysis.Index, off int, opts Options) []Item {
	if ix == nil || ix.Doc == nil {
		return nil
	}
	c := newContext(ix, off, opts)
	items := c.complete()
	if c.joined {
		// An edit must stay on the offset's line: an item that would
		// rewrite the part of a word on the line above is left out.
		kept := items[:0]
		for _, it := range items {
			if it.Edit.Start >= c.ls {
				kept = append(kept, it)
			}
		}
		items = kept
	}
	return items
}

// context is one request: the offset, its line and the instruction around it.
type context struct {
	ix   *analysis.Index
	doc  *analysis.Document
	opts Options
	off  int
	esc  byte

	line       int
	ls, le     int    // the line's span
	text       string // the line
	col        int    // off - ls
	node       analysis.Node
	inNode     bool
	start      int      // offset of the instruction's first line
	words      []string // the instruction's words before the current one
	ws, we     int      // the current word, as columns of text
	word       string
	cur        int // the offset's column in word
	onbuild    bool
	kw         string // the instruction's keyword, lower case (after ONBUILD)
	prevIsFlag bool   // every word after the keyword is a flag
	// joined is set when the word began on the line above, which the
	// escape character continues with no blank before it: BuildKit reads
	// one word (`--mount=type=cache,\` then `from=`). ws is then negative.
	joined bool
}

func newContext(ix *analysis.Index, off int, opts Options) *context {
	doc := ix.Doc
	off = max(0, min(off, doc.Len()))
	c := &context{ix: ix, doc: doc, opts: opts, off: off, esc: ix.Escape}
	if c.esc == 0 {
		c.esc = '\\'
	}
	c.line = doc.LineOf(off)
	c.ls, c.le = doc.LineStart(c.line), doc.LineEnd(c.line)
	if c.le < off { // a lone CR or similar: stay on the offset's line
		c.le = off
	}
	c.text = doc.Slice(analysis.Span{Start: c.ls, End: c.le})
	c.text = strings.TrimRight(c.text, "\r\n")
	c.col = min(off-c.ls, len(c.text))
	c.off = c.ls + c.col // inside a line break: at the line's end
	return c
}

func (c *context) complete() []Item {
	trimmed := strings.TrimLeft(strings.TrimPrefix(c.text, "\uFEFF"), " \t")
	if strings.HasPrefix(trimmed, "#") {
		if c.inDirectiveHeader() {
			return c.directives()
		}
		return nil // a comment
	}
	if !c.ix.Stale {
		c.node, c.inNode = c.ix.NodeAt(c.off)
	}
	if c.inNode {
		for _, h := range c.node.Heredocs() {
			if c.node.Abs(h.Body).Contains(c.off) || c.node.Abs(h.Terminator).Contains(c.off) {
				return nil
			}
		}
		c.start = c.node.Start
	} else {
		c.start = c.textStart()
	}
	// The word around the offset, on this line; a BOM on the first line
	// is no part of it.
	lo := 0
	if c.line == 0 && strings.HasPrefix(c.text, "\uFEFF") {
		lo = len("\uFEFF")
		if c.col < lo {
			return nil // before the BOM
		}
	}
	c.ws, c.we = c.col, c.col
	for c.ws > lo && !isSpace(c.text[c.ws-1]) {
		c.ws--
	}
	for c.we < len(c.text) && !isSpace(c.text[c.we]) {
		c.we++
	}
	c.word, c.cur = c.text[c.ws:c.we], c.col-c.ws
	c.words = wordsBetween(c.doc, c.start, c.ls+c.ws, c.esc)
	if c.ws == 0 && len(c.words) > 1 && c.continuesWord() {
		prev := c.words[len(c.words)-1]
		c.words = c.words[:len(c.words)-1]
		c.word, c.cur, c.ws, c.joined = prev+c.word, len(prev)+c.cur, -len(prev), true
	}
	if len(c.words) > 0 && strings.EqualFold(c.words[0], "onbuild") {
		c.onbuild = true
		c.words = c.words[1:]
	}
	if len(c.words) == 0 {
		return c.keywords()
	}
	c.kw = strings.ToLower(c.words[0])
	c.prevIsFlag = true
	for _, w := range c.words[1:] {
		if !strings.HasPrefix(w, "--") {
			c.prevIsFlag = false
			break
		}
	}
	if items, ok := c.variables(); ok {
		return items
	}
	if c.prevIsFlag && strings.HasPrefix(c.word, "-") {
		return c.flags()
	}
	if items := c.argValues(); items != nil {
		return items
	}
	if c.kw == "from" && c.prevIsFlag && !c.onbuild {
		return c.stages(c.fromLimit(), c.word[:c.cur], c.span(c.ws, c.we), analysis.RefFrom)
	}
	return nil
}

// continuesWord reports whether the line above the offset's (comment and
// blank lines skipped, as BuildKit skips them in a continuation) ends with
// the escape character right after a word, which the offset's line then
// continues.
func (c *context) continuesWord() bool {
	p := c.line - 1
	for p >= 0 {
		t := strings.TrimSpace(c.lineText(p))
		if t != "" && !strings.HasPrefix(t, "#") {
			break
		}
		p--
	}
	if p < 0 || c.doc.LineStart(p) < c.start {
		return false
	}
	t := strings.TrimRight(c.lineText(p), " \t")
	return len(t) >= 2 && t[len(t)-1] == c.esc && !isSpace(t[len(t)-2])
}

// span converts columns of the line to a document span.
func (c *context) span(a, b int) analysis.Span {
	return analysis.Span{Start: c.ls + a, End: c.ls + b}
}

// textStart finds the first line of the instruction holding the offset's
// line from the text alone, following continuations back (for an index that
// does not cover the offset).
func (c *context) textStart() int {
	l := c.line
	for steps := 0; l > 0 && steps < 1000; steps++ {
		p := l - 1
		for p >= 0 && steps < 1000 {
			t := strings.TrimSpace(c.lineText(p))
			if t != "" && !strings.HasPrefix(t, "#") {
				break
			}
			p--
			steps++
		}
		if p < 0 || !continues(c.lineText(p), c.esc) {
			break
		}
		l = p
	}
	return c.doc.LineStart(l)
}

func (c *context) lineText(l int) string {
	return strings.TrimRight(c.doc.Slice(analysis.Span{Start: c.doc.LineStart(l), End: c.doc.LineEnd(l)}), "\r\n")
}

// continues reports whether line ends with the escape character, which
// joins the next line to it.
func continues(line string, esc byte) bool {
	t := strings.TrimRight(line, " \t\r")
	return len(t) > 0 && t[len(t)-1] == esc
}

// wordsBetween splits the instruction text in [start, end) into words,
// joining continued lines and skipping the comment lines between them.
func wordsBetween(doc *analysis.Document, start, end int, esc byte) []string {
	if end <= start {
		return nil
	}
	text := doc.Slice(analysis.Span{Start: start, End: end})
	if start == 0 {
		text = strings.TrimPrefix(text, "\uFEFF")
	}
	var words []string
	for i := 0; ; i++ {
		nl := strings.IndexByte(text, '\n')
		ln := text
		if nl >= 0 {
			ln = text[:nl]
		}
		ln = strings.TrimRight(ln, "\r")
		if i > 0 && strings.HasPrefix(strings.TrimLeft(ln, " \t"), "#") {
			ln = ""
		}
		if nl >= 0 {
			if t := strings.TrimRight(ln, " \t"); len(t) > 0 && t[len(t)-1] == esc {
				ln = t[:len(t)-1]
			}
		}
		words = append(words, strings.Fields(ln)...)
		if nl < 0 {
			return words
		}
		text = text[nl+1:]
	}
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

// hasPrefixFold reports whether s begins with prefix, ignoring case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
