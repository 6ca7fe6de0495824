package analysis

// AppendNodes appends instructions [first, end) to dst, as Node(i) gives
// each, reading the blocks in order: Node looks its block up for every
// instruction, and the rules read whole stages at every keystroke.
func (ix *Index) AppendNodes(dst []Node, first, end int) []Node {
	first, end = max(first, 0), min(end, ix.n)
	if first >= end {
		return dst
	}
	for k, i := ix.blockOf(first), first; i < end; k++ {
		b, base := ix.blocks[k], ix.bbase[k]
		for j := i - ix.bfirst[k]; j < len(b.insts) && i < end; j, i = j+1, i+1 {
			dst = append(dst, Node{b.insts[j], i, base + b.starts[j]})
		}
	}
	return dst
}
