package analysis

import (
	"strings"
	"testing"
)

// TestCheckSafetyFails shows that each of the checker's checks catches the
// change it is there for.
func TestCheckSafetyFails(t *testing.T) {
	const base = "FROM alpine AS a\nARG V=1\nWORKDIR /src\nRUN echo $V\nUSER app\nRUN make\n\nFROM a\nCOPY --from=0 /x /x\n"
	for _, tc := range []struct {
		name, after, want string
		intended          Intended
	}{
		{"unparsable", "FROM alpine AS a\nRUN <<EOF\n", "does not parse", Intended{}},
		{"split without the ARG", "FROM alpine AS a-base\nARG V=1\nWORKDIR /src\n\nFROM a-base AS a\nRUN echo $V\nUSER app\nRUN make\n\nFROM a\nCOPY --from=1 /x /x\n", "RUN", Intended{NewRefs: 1}},
		{"numeric reference not renumbered", "FROM alpine AS a-base\nARG V=1\nWORKDIR /src\n\nFROM a-base AS a\nARG V=1\nRUN echo $V\nUSER app\nRUN make\n\nFROM a\nCOPY --from=0 /x /x\n", "references changed", Intended{NewRefs: 1, Added: []string{"arg V=1"}}},
		{"RUN moved across USER", "FROM alpine AS a\nARG V=1\nWORKDIR /src\nRUN echo $V\nRUN make\nUSER app\n\nFROM a\nCOPY --from=0 /x /x\n", "RUN", Intended{}},
		{"instruction lost", "FROM alpine AS a\nARG V=1\nWORKDIR /src\nRUN echo $V\nUSER app\nRUN make\n\nFROM a\n", "references changed", Intended{}},
		{"instruction added", "FROM alpine AS a\nARG V=1\nWORKDIR /src\nRUN echo $V\nUSER app\nRUN make\n\nFROM a\nCOPY --from=0 /x /x\nCOPY x /y\n", "gained", Intended{}},
	} {
		err := CheckSafety(NewDocument(base), NewDocument(tc.after), tc.intended)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	if err := CheckSafety(NewDocument(base), NewDocument(base), Intended{}); err != nil {
		t.Errorf("unchanged: %v", err)
	}
}

// TestCheckSafetyConfig shows the checker catches an ENTRYPOINT that, cut
// from its CMD by a new FROM, would clear the CMD.
func TestCheckSafetyConfig(t *testing.T) {
	before := "FROM alpine AS app\nCMD [\"serve\"]\nRUN true\nENTRYPOINT [\"app\"]\n"
	after := "FROM alpine AS app-base\nCMD [\"serve\"]\nRUN true\n\nFROM app-base AS app\nENTRYPOINT [\"app\"]\n"
	err := CheckSafety(NewDocument(before), NewDocument(after), Intended{NewRefs: 1})
	if err == nil || !strings.Contains(err.Error(), "configuration of the final image changed") {
		t.Errorf("got %v, want a configuration change", err)
	}
}
