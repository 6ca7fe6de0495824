package analysis

import (
	"strings"
	"testing"
)

// TestContainsFromCoversMountFrom holds the scanner's shortcut to the
// mount reader: a --mount value that containsFrom turns down holds no
// from= field, over every RUN --mount value of the corpus and the mount
// tests' variants, in three cases.
func TestContainsFromCoversMountFrom(t *testing.T) {
	var values []string
	for _, text := range sample(t) {
		ix := Parse(NewDocument(text))
		for i := 0; i < ix.Len(); i++ {
			for _, f := range ix.Node(i).Flags {
				if f.Name.Value == "mount" && f.HasValue {
					values = append(values, f.Value.Value)
				}
			}
		}
	}
	if len(values) < 5 {
		t.Fatalf("only %d --mount values in the corpus", len(values))
	}
	withFrom := 0
	for _, v := range append(values, "from=a", `"from=a"`, `"fr""om=a"`, "target=/x,FROM=b", "fRoM=c,type=bind", "type=cache") {
		for _, w := range append(mountVariants(v), v, strings.ToUpper(v), strings.ToLower(v)) {
			f, ok := ReadMount(Token{Value: w}, "").Field("from")
			if ok && f.HasValue {
				withFrom++
				if !containsFrom(w) {
					t.Errorf("%q: from=%q read, but containsFrom says no", w, f.Value.Value)
				}
			}
		}
	}
	if withFrom < 10 {
		t.Errorf("only %d values with a from= field: the test misses the point", withFrom)
	}
}
