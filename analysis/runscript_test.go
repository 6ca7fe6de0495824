package analysis

import (
	"slices"
	"testing"
)

// TestScriptCommandsComputedAssigns: an assignment in front of a command
// whose value only reads variables (Docker's own cross-compile line) keeps
// the script readable, spelt and named as computed; one that runs a
// command, or expands with an operator, still makes it unreadable.
func TestScriptCommandsComputedAssigns(t *testing.T) {
	for _, tc := range []struct {
		script   string
		ok       bool
		assigns  []string
		computed []string
	}{
		{`CGO_ENABLED=0 GOOS=$TARGETOS GOARCH="${TARGETARCH}" go build -o /bin/app .`, true,
			[]string{"CGO_ENABLED=0", "GOOS=$TARGETOS", "GOARCH=$TARGETARCH"}, []string{"GOOS", "GOARCH"}},
		{`V=v$MAJOR.$MINOR make`, true, []string{"V=v$MAJOR.$MINOR"}, []string{"V"}},
		{`CGO_ENABLED=0 go build -o app`, true, []string{"CGO_ENABLED=0"}, nil},
		{`GOOS=$(go env GOOS) go build -o app`, false, nil, nil},
		{"GOOS=`uname` go build -o app", false, nil, nil},
		{`GOOS=${TARGETOS:-linux} go build -o app`, false, nil, nil},
		{`GOOS=${TARGETOS/x/y} go build -o app`, false, nil, nil},
		{`GOOS=${#TARGETOS} go build -o app`, false, nil, nil},
		{`GOOS="$(cat os)" go build -o app`, false, nil, nil},
		{`X=$((1+2)) make`, false, nil, nil},
	} {
		for _, bash := range []bool{false, true} {
			cmds, ok := ScriptCommands(tc.script, bash)
			if ok != tc.ok {
				t.Errorf("%q (bash %v): ok %v, want %v", tc.script, bash, ok, tc.ok)
				continue
			}
			if !ok {
				continue
			}
			c := cmds[0]
			if !slices.Equal(c.Assigns, tc.assigns) || !slices.Equal(c.Computed, tc.computed) {
				t.Errorf("%q (bash %v): assigns %q computed %q, want %q and %q", tc.script, bash, c.Assigns, c.Computed, tc.assigns, tc.computed)
			}
			for _, name := range tc.computed {
				if !c.AssignComputed(name) {
					t.Errorf("%q: AssignComputed(%s) false", tc.script, name)
				}
			}
		}
	}
}
