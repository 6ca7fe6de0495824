package analysis

import (
	"strings"
	"sync"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// BuildKitCommand returns BuildKit's own reading of instruction i: its
// parser's node, read by its instructions package. ok is false when either
// rejects the instruction (the index reports that as the instruction's
// error) or when it is a FROM, which BuildKit reads as a stage. Rules that
// state what BuildKit's dispatch does with an instruction start here, so
// that the words they judge are BuildKit's, quotes and legacy forms
// included.
func (ix *Index) BuildKitCommand(i int) (cmd instructions.Command, ok bool) {
	n := ix.Node(i)
	node, ok := ix.plainNode(n)
	if !ok {
		if node, ok = fragmentNode(ix.Doc.Slice(n.Span()), ix.Escape); !ok {
			return nil, false
		}
	}
	c, err := instructions.ParseInstructionWithLinter(node, quietLinter)
	if err != nil {
		return nil, false
	}
	cmd, ok = c.(instructions.Command)
	return cmd, ok
}

// plainNode builds the parser node of a one-line instruction BuildKit's
// parser reads word for word (no quote, escape, heredoc or JSON array) as
// that parser does, without running it: BuildKit's parser compiles its
// regular expressions again on every call. TestPlainNodeAsParser holds it
// to the parser over the corpus.
func (ix *Index) plainNode(n Node) (*parser.Node, bool) {
	info := LookupInstruction(n.Cmd)
	if info == nil || len(n.Heredocs()) > 0 || n.JSON || len(n.Args) == 0 {
		return nil, false
	}
	text := ix.Doc.Slice(n.Span())
	if strings.ContainsAny(text, "\"'\n\r[") || strings.IndexByte(text, ix.Escape) >= 0 {
		return nil, false
	}
	node := &parser.Node{Value: n.Keyword.Value, Original: strings.TrimLeft(strings.TrimRight(text, "\r\n"), " \t")}
	for _, f := range n.Flags {
		node.Flags = append(node.Flags, ix.Doc.Slice(n.Abs(f.Span)))
	}
	var args []string
	switch info.form {
	case formWords, formList:
		for _, a := range n.Args {
			args = append(args, ix.Doc.Slice(n.Abs(a.Span)))
		}
	case formCommand, formString:
		args = []string{ix.Doc.Slice(n.Abs(Span{n.Args[0].Span.Start, n.Args[len(n.Args)-1].Span.End}))}
	default:
		return nil, false
	}
	next := &node.Next
	for _, a := range args {
		*next = &parser.Node{Value: a}
		next = &(*next).Next
	}
	line := ix.Doc.LineOf(n.Start) + 1
	node.StartLine, node.EndLine = line, line
	return node, true
}

// fragmentMemo keeps the parser nodes of the instructions plainNode cannot
// build, by escape and text: BuildKit's parser compiles its regular
// expressions on every call, and an edit asks again for the unchanged
// instructions of its stage. The instructions package only reads a node.
// The memo is dropped whole past fragmentMemoSize entries.
var fragmentMemo struct {
	sync.Mutex
	m map[string]*parser.Node
}

const fragmentMemoSize = 1024

// fragmentNode returns the node BuildKit's parser reads text as, one
// instruction; false when it reads something else.
func fragmentNode(text string, esc byte) (*parser.Node, bool) {
	key := string(esc) + text
	fragmentMemo.Lock()
	node, hit := fragmentMemo.m[key]
	fragmentMemo.Unlock()
	if hit {
		return node, node != nil
	}
	nodes, ok := parseFragment(text, esc)
	if ok && len(nodes) == 1 {
		node = nodes[0]
	}
	fragmentMemo.Lock()
	if fragmentMemo.m == nil || len(fragmentMemo.m) >= fragmentMemoSize {
		fragmentMemo.m = map[string]*parser.Node{}
	}
	fragmentMemo.m[key] = node
	fragmentMemo.Unlock()
	return node, node != nil
}
