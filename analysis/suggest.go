package analysis

import (
	"slices"
	"strconv"
	"strings"
)

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

// StableSuggestion gives a BuildKit error message for instruction cmd a
// "did you mean" that is the same on every run. For an unknown flag, mount
// type or sharing mode BuildKit takes the nearest candidate by edit
// distance, but of two as near the first in map order: `COPY --cho` says
// chown on one run and chmod on the next, `type=cash` cache or ssh. This
// one picks among the same candidates, nearest first, and of equals the
// one the typed word begins, then the table's order. Other messages are
// returned as they are.
func StableSuggestion(msg, cmd string) string {
	base, theirs, found := strings.Cut(msg, " (did you mean ")
	if !found {
		return msg
	}
	theirs = strings.TrimSuffix(theirs, "?)")
	var typed string
	var candidates []string
	if rest, ok := strings.CutPrefix(base, "unknown flag: --"); ok {
		typed = rest
		if info := LookupInstruction(cmd); info != nil {
			for _, f := range info.Flags {
				candidates = append(candidates, f.Name)
			}
		}
	} else if rest, ok := strings.CutPrefix(base, "unsupported mount type "); ok {
		typed = unquoteGo(rest)
		for _, t := range MountTypes {
			candidates = append(candidates, t.Name)
		}
	} else if rest, ok := strings.CutPrefix(base, "unsupported sharing value "); ok {
		typed = unquoteGo(rest)
		if k := LookupMountKey("sharing"); k != nil {
			for _, v := range k.Values {
				candidates = append(candidates, v.Value)
			}
		}
	} else {
		return msg
	}
	if !slices.Contains(candidates, theirs) {
		candidates = append(candidates, theirs)
	}
	match, best, prefixed := "", 3, false
	for _, c := range candidates {
		d, p := editDistance(typed, c), strings.HasPrefix(c, typed)
		if d < best || d == best && match != "" && p && !prefixed {
			match, best, prefixed = c, d, p
		}
	}
	if match == "" {
		return msg
	}
	return base + " (did you mean " + match + "?)"
}

// unquoteGo undoes BuildKit's %q, or returns s as it is.
func unquoteGo(s string) string {
	if u, err := strconv.Unquote(s); err == nil {
		return u
	}
	return s
}
