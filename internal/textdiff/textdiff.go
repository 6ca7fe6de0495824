// Package textdiff renders the difference between two texts as a unified
// diff: the one diff of `stagehand check --fix --diff` and `stagehand fmt -d`.
package textdiff

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Unified returns the differences between a and b, the old and new text of
// path, as a unified diff with three lines of context that patch(1) and
// git apply take, or "" when they are equal.
func Unified(path, a, b string) string {
	if a == b {
		return ""
	}
	x, y := splitLines(a), splitLines(b)
	ops := diffLines(x, y)
	var out strings.Builder
	// A relative path gets git's a/ and b/ prefixes (patch -p1, git apply);
	// an absolute one is written as is (patch -p0).
	oldName, newName := path, path
	if p := filepath.ToSlash(path); !filepath.IsAbs(path) {
		oldName, newName = "a/"+p, "b/"+p
	}
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", oldName, newName)
	const ctx = 3
	// Group the operations into hunks separated by more than 2*ctx
	// unchanged lines.
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(i-ctx, 0)
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*ctx {
				end = min(end+ctx, len(ops))
				break
			}
			end = run
		}
		ai, bi := ops[start].a, ops[start].b
		var body strings.Builder
		na, nb := 0, 0
		for _, op := range ops[start:end] {
			line := op.text
			noEOL := !strings.HasSuffix(line, "\n")
			if noEOL {
				line += "\n\\ No newline at end of file\n"
			}
			body.WriteString(string(op.kind) + line)
			if op.kind != '+' {
				na++
			}
			if op.kind != '-' {
				nb++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n%s", hunkRange(ai, na), hunkRange(bi, nb), body.String())
		i = end
	}
	return out.String()
}

func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

// splitLines cuts s after each "\n", keeping the terminators.
func splitLines(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// lineOp is one line of a diff: ' ' kept, '-' removed, '+' added; a and b
// are the line's (or the next line's) index in the old and new text.
type lineOp struct {
	kind byte
	text string
	a, b int
}

// maxDiffCells bounds the table of the longest common subsequence; beyond
// it the changed middle is shown as one replacement.
const maxDiffCells = 4 << 20

// diffLines computes a line diff: the common prefix and suffix are kept
// and the middle is aligned by its longest common subsequence.
func diffLines(x, y []string) []lineOp {
	p := 0
	for p < len(x) && p < len(y) && x[p] == y[p] {
		p++
	}
	s := 0
	for s < len(x)-p && s < len(y)-p && x[len(x)-1-s] == y[len(y)-1-s] {
		s++
	}
	var ops []lineOp
	for i := 0; i < p; i++ {
		ops = append(ops, lineOp{' ', x[i], i, i})
	}
	mx, my := x[p:len(x)-s], y[p:len(y)-s]
	if (len(mx)+1)*(len(my)+1) > maxDiffCells {
		for i, l := range mx {
			ops = append(ops, lineOp{'-', l, p + i, p})
		}
		for j, l := range my {
			ops = append(ops, lineOp{'+', l, p + len(mx), p + j})
		}
	} else {
		// lcs[i][j] is the LCS length of mx[i:] and my[j:].
		lcs := make([][]int32, len(mx)+1)
		for i := range lcs {
			lcs[i] = make([]int32, len(my)+1)
		}
		for i := len(mx) - 1; i >= 0; i-- {
			for j := len(my) - 1; j >= 0; j-- {
				if mx[i] == my[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < len(mx) || j < len(my) {
			switch {
			case i < len(mx) && j < len(my) && mx[i] == my[j]:
				ops = append(ops, lineOp{' ', mx[i], p + i, p + j})
				i, j = i+1, j+1
			case i < len(mx) && (j == len(my) || lcs[i+1][j] >= lcs[i][j+1]):
				ops = append(ops, lineOp{'-', mx[i], p + i, p + j})
				i++
			default:
				ops = append(ops, lineOp{'+', my[j], p + i, p + j})
				j++
			}
		}
	}
	for k := 0; k < s; k++ {
		ops = append(ops, lineOp{' ', x[len(x)-s+k], len(x) - s + k, len(y) - s + k})
	}
	return ops
}
