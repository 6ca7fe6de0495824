package analysis

import "strings"

// Suggest returns the candidate a mistyped word most likely meant, or "".
// Every "did you mean" of Stagehand asks it: unknown instructions, rules
// (undefined variables, unknown stages) and targets other files name.
//
// A candidate that has word as its first or last dash-separated part
// (`license-set` for `set`) wins, as stage names are often built so.
// Otherwise it picks as BuildKit's suggest.Search does: the nearest
// candidate by edit distance when that is below 3, the earlier of equals
// winning, so the answer never depends on map order; nothing when word
// is itself a candidate (the error is about something else). Unless
// caseSensitive, case is ignored. The candidate is returned as written.
func Suggest(word string, candidates []string, caseSensitive bool) string {
	fold := func(s string) string {
		if caseSensitive {
			return s
		}
		return strings.ToLower(s)
	}
	w := fold(word)
	if w == "" {
		return ""
	}
	for _, c := range candidates {
		if fold(c) == w {
			return ""
		}
	}
	for _, c := range candidates {
		if fc := fold(c); strings.HasSuffix(fc, "-"+w) || strings.HasPrefix(fc, w+"-") {
			return c
		}
	}
	match, best := "", 3
	for _, c := range candidates {
		if d := editDistance(w, fold(c)); d < best {
			match, best = c, d
		}
	}
	return match
}

// editDistance is the Levenshtein distance between a and b, over runes,
// as BuildKit's suggestions measure it.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
