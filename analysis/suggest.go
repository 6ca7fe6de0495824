package analysis

import "strings"

// instructionNames lists the Dockerfile instructions in lower case.
var instructionNames = []string{
	"add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck", "label",
	"maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume", "workdir",
}

// Closest returns the candidate nearest to word by edit distance, ignoring
// case, when it is near enough to be a likely typo; ties go to the earlier
// candidate, so the answer never depends on map order.
func Closest(word string, candidates []string) string {
	w := strings.ToLower(word)
	best, bestDist := "", -1
	for _, c := range candidates {
		d := editDistance(w, strings.ToLower(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if bestDist < 0 || bestDist > max(1, len(w)/3) || bestDist >= len(w) {
		return ""
	}
	return best
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
