package rules

import "testing"

// TestRegistryShapes: every rule runs one way: over the whole index (Run),
// one instruction at a time (Local), or over what other files ask of the
// Dockerfile (Use, which only RunUses calls).
func TestRegistryShapes(t *testing.T) {
	for _, r := range All() {
		n := 0
		for _, set := range []bool{r.Run != nil, r.Local != nil, r.Use != nil} {
			if set {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s sets %d of Run, Local and Use, want exactly one", r.Name, n)
		}
		if (r.UsedBy != "") != (r.Use != nil) {
			t.Errorf("%s: UsedBy (the compose.yaml of its examples) goes with Use, and only with it", r.Name)
		}
	}
}
