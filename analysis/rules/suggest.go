package rules

import "strings"

// suggest returns the option nearest to val, as BuildKit's suggest.Search
// does: an edit distance below 3, the first of equals winning, and nothing
// when val is itself an option.
func suggest(val string, options []string, caseSensitive bool) string {
	if !caseSensitive {
		val = strings.ToLower(val)
	}
	match, best := "", 3
	for _, opt := range options {
		o := opt
		if !caseSensitive {
			o = strings.ToLower(opt)
		}
		if o == val {
			return ""
		}
		if d := editDistance(val, o); d < best {
			match, best = opt, d
		}
	}
	return match
}

// editDistance is the Levenshtein distance between a and b, over bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
