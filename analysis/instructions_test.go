package analysis

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/command"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// TestInstructionTable checks the table against BuildKit: every instruction
// its parser dispatches is listed and nothing else, every flag listed is
// accepted, and an instruction takes no flag the table leaves out (a
// made-up flag is refused the same way).
func TestInstructionTable(t *testing.T) {
	if len(Instructions) != len(command.Commands) {
		t.Errorf("table has %d instructions, BuildKit %d", len(Instructions), len(command.Commands))
	}
	for name := range command.Commands {
		if LookupInstruction(name) == nil {
			t.Errorf("%s missing from the table", name)
		}
	}
	if !slices.Equal(instructionNames, slices.Sorted(maps.Keys(command.Commands))) {
		t.Errorf("instructionNames = %v, BuildKit's %v", instructionNames, slices.Sorted(maps.Keys(command.Commands)))
	}
	args := map[string]string{
		"FROM": "alpine", "RUN": "true", "ADD": "a b", "COPY": "a b", "HEALTHCHECK": "CMD true",
	}
	parse := func(line string) error {
		res, err := parser.Parse(strings.NewReader(line + "\n"))
		if err != nil {
			return err
		}
		_, err = instructions.ParseInstruction(res.AST.Children[0])
		return err
	}
	for _, in := range Instructions {
		if !strings.HasPrefix(in.URL, DockerfileReference+"#") || in.Doc == "" || in.Syntax == "" {
			t.Errorf("%s: incomplete entry", in.Name)
		}
		a, ok := args[in.Name]
		if !ok {
			if len(in.Flags) > 0 {
				t.Errorf("%s: flags listed but no test arguments", in.Name)
			}
			continue
		}
		for _, f := range in.Flags {
			val := "x"
			switch {
			case len(f.Values) > 0:
				val = f.Values[len(f.Values)-1].Value
			case f.Name == "mount":
				val = "type=cache,target=/x"
			case f.Name == "retries":
				val = "3"
			case in.Name == "HEALTHCHECK":
				val = "5s"
			}
			line := in.Name + " --" + f.Name + "=" + val + " " + a
			if err := parse(line); err != nil && strings.Contains(err.Error(), "unknown flag") {
				t.Errorf("%s: BuildKit refuses it: %v", line, err)
			}
			if f.Doc == "" || !strings.HasPrefix(f.URL, DockerfileReference+"#") {
				t.Errorf("%s --%s: incomplete entry", in.Name, f.Name)
			}
		}
		// Flags of other instructions are refused here unless listed.
		for _, other := range Instructions {
			for _, f := range other.Flags {
				if in.Flag(f.Name) != nil {
					continue
				}
				line := in.Name + " --" + f.Name + "=x " + a
				if err := parse(line); err == nil || !strings.Contains(err.Error(), "unknown flag") {
					t.Errorf("%s: BuildKit accepts a flag the table leaves out (err %v)", line, err)
				}
			}
		}
	}
}

func TestMountKeysKnown(t *testing.T) {
	parseKey := func(spec string) error {
		res, _ := parser.Parse(strings.NewReader("RUN --mount=" + spec + " true\n"))
		cmd, err := instructions.ParseInstruction(res.AST.Children[0])
		if err != nil {
			return err
		}
		return cmd.(*instructions.RunCommand).Expand(func(w string) (string, error) { return w, nil })
	}
	for _, k := range MountKeys {
		for _, name := range append([]string{k.Name}, k.Aliases...) {
			if err := parseKey(name + "=1"); err != nil && strings.Contains(err.Error(), "unexpected key") && !strings.Contains(err.Error(), "for mount type") {
				t.Errorf("BuildKit does not know mount key %s: %v", name, err)
			}
		}
	}
	for _, typ := range MountTypes {
		for _, k := range typ.Keys {
			if LookupMountKey(k) == nil {
				t.Errorf("%s: key %s not described", typ.Name, k)
			}
		}
		spec := "type=" + typ.Name
		for _, k := range MountKeysFor(typ.Name)[1:] {
			if k.Name == "from" || k.Name == "required" || k.Name == "size" {
				continue
			}
			v := "1"
			if len(k.Values) > 0 {
				v = k.Values[0].Value
			}
			spec += "," + k.Name + "=" + v
		}
		if typ.Name == "secret" {
			spec = strings.Replace(spec, "id=1", "id=s", 1)
		}
		res, _ := parser.Parse(strings.NewReader("RUN --mount=" + spec + " true\n"))
		cmd, err := instructions.ParseInstruction(res.AST.Children[0])
		if err != nil {
			t.Errorf("%s: %v", spec, err)
			continue
		}
		if err := cmd.(*instructions.RunCommand).Expand(func(w string) (string, error) { return w, nil }); err != nil {
			t.Errorf("%s: BuildKit refuses it: %v", spec, err)
		}
		if err := parseKey("type=" + typ.Name + ",nosuchkey=1"); err == nil {
			t.Errorf("BuildKit accepts an unknown mount key")
		}
	}
}

// parseLine parses one instruction (after a FROM) with BuildKit's parser.
func parseLine(t *testing.T, line string) *parser.Node {
	t.Helper()
	res, err := parser.Parse(strings.NewReader("FROM alpine\n" + line + "\n"))
	if err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	return res.AST.Children[1]
}

// TestFlagKinds checks each flag's Bool and Repeatable against BuildKit's
// flag parser: a bare `--name` is accepted only for a boolean flag
// (AddBool), a second `--name=v` only for a repeatable one (AddStrings).
func TestFlagKinds(t *testing.T) {
	args := map[string]string{"FROM": "alpine", "RUN": "true", "ADD": "a b", "COPY": "a b", "HEALTHCHECK": "CMD true"}
	for _, in := range Instructions {
		for _, f := range in.Flags {
			val := "=5s"
			switch f.Name {
			case "mount":
				val = "=type=cache,target=/x"
			case "retries":
				val = "=3"
			case "network":
				val = "=none"
			case "security":
				val = "=sandbox"
			}
			if f.Bool {
				val = "=true"
			}
			parse := func(flags string) error {
				_, err := instructions.ParseInstruction(parseLine(t, in.Name+" "+flags+" "+args[in.Name]))
				return err
			}
			if err := parse("--" + f.Name + val); err != nil {
				t.Errorf("%s --%s%s: %v", in.Name, f.Name, val, err)
				continue
			}
			if err := parse("--" + f.Name); (err == nil) != f.Bool {
				t.Errorf("%s --%s alone: err %v, table says Bool=%v", in.Name, f.Name, err, f.Bool)
			}
			if err := parse("--" + f.Name + val + " --" + f.Name + val); (err == nil) != f.Repeatable {
				t.Errorf("%s --%s twice: err %v, table says Repeatable=%v", in.Name, f.Name, err, f.Repeatable)
			}
		}
	}
}

// instructionSamples are valid uses of each instruction, without flags.
var instructionSamples = map[string]string{
	"ADD": "a /b", "ARG": "A=1", "CMD": "true", "COPY": "a /b", "ENTRYPOINT": "true",
	"ENV": "A=1", "EXPOSE": "80", "FROM": "alpine", "HEALTHCHECK": "CMD true", "LABEL": "a=b",
	"MAINTAINER": "me", "ONBUILD": "RUN true", "RUN": "true", "SHELL": `["/bin/sh", "-c"]`,
	"STOPSIGNAL": "SIGTERM", "USER": "me", "VOLUME": "/v", "WORKDIR": "/w",
}

// TestExpandsMatchesBuildKit checks the Expands column against BuildKit:
// an instruction expands its own words when its command implements
// instructions.SupportsSingleWordExpansion (dockerfile2llb expands those,
// and only those, through the shell lexer before dispatching).
func TestExpandsMatchesBuildKit(t *testing.T) {
	checkColumn(t, "Expands", func(in *InstructionInfo) bool { return in.Expands }, func(in *InstructionInfo, sample string) (bool, error) {
		cmd, err := instructions.ParseInstruction(parseLine(t, in.Name+" "+sample))
		_, bk := cmd.(instructions.SupportsSingleWordExpansion)
		return bk, err
	})
}

// checkColumn compares a column of the table with what observe reads of
// each instruction's sample, and fails when observe tells none apart: a
// check that could not fail.
func checkColumn(t *testing.T, column string, has func(*InstructionInfo) bool, observe func(in *InstructionInfo, sample string) (bool, error)) {
	t.Helper()
	n := 0
	for i := range Instructions {
		in := &Instructions[i]
		sample, ok := instructionSamples[in.Name]
		if !ok {
			t.Errorf("no sample for %s", in.Name)
			continue
		}
		got, err := observe(in, sample)
		if err != nil {
			t.Errorf("%s %s: %v", in.Name, sample, err)
			continue
		}
		if got != has(in) {
			t.Errorf("%s %s: %s = %v, observed %v", in.Name, sample, column, has(in), got)
		}
		if got {
			n++
		}
	}
	if n == 0 || n == len(Instructions) {
		t.Errorf("%s: %d of %d instructions observed: the check cannot tell them apart", column, n, len(Instructions))
	}
}

// TestFormsMatchBuildKit checks the Form and Heredoc columns against
// BuildKit's parser: whether a JSON array is read as one (the exec form),
// how `a b  c` splits into argument nodes, whether ONBUILD's argument is an
// instruction, and whether `<<EOF` starts a heredoc.
func TestFormsMatchBuildKit(t *testing.T) {
	// The argument nodes each form makes of `a b  c`.
	split := map[argForm][]string{
		formCommand:     {"a b  c"},
		formString:      {"a b  c"},
		formList:        {"a", "b", "c"},
		formWords:       {"a", "b", "c"},
		formHealthcheck: {"a", "b  c"},
		formPairs:       {"a", "b  c", ""},
	}
	for _, in := range Instructions {
		node := parseLine(t, in.Name+` ["a", "b"]`)
		if got := node.Attributes["json"]; got != in.form.json() {
			t.Errorf("%s: JSON form %v, table says %v", in.Name, got, in.form.json())
		}
		node = parseLine(t, in.Name+" a b  c")
		sub := node.Next != nil && len(node.Next.Children) > 0
		if sub != (in.form == formInstruction) {
			t.Errorf("%s: argument is an instruction: %v, table's form %d", in.Name, sub, in.form)
		}
		if !sub {
			var got []string
			for a := node.Next; a != nil; a = a.Next {
				got = append(got, a.Value)
			}
			if want := split[in.form]; !slices.Equal(got, want) {
				t.Errorf("%s a b  c: BuildKit reads %q, the table's form %d %q", in.Name, got, in.form, want)
			}
		}
		// LABEL and ENV refuse the line: no heredoc then.
		res, err := parser.Parse(strings.NewReader("FROM alpine\n" + in.Name + " <<EOF\nhi\nEOF\n"))
		if got := err == nil && len(res.AST.Children[1].Heredocs) > 0; got != in.Heredoc {
			t.Errorf("%s: heredoc %v, table says %v", in.Name, got, in.Heredoc)
		}
	}
}

// TestTableEntries checks the columns BuildKit has no word for are filled
// in: every instruction has argument slots for signature help, and a
// snippet starts with its keyword (completion lower-cases that part).
func TestTableEntries(t *testing.T) {
	for _, in := range Instructions {
		if len(in.Args) == 0 {
			t.Errorf("%s: no argument slots", in.Name)
		}
		if in.Snippet != "" && !strings.HasPrefix(in.Snippet, in.Name+" ") {
			t.Errorf("%s: snippet %q does not start with the keyword", in.Name, in.Snippet)
		}
	}
}

// TestTriggersMatchBuildKit checks the Trigger column against BuildKit's
// ONBUILD parsing, which refuses ONBUILD, FROM and MAINTAINER as triggers.
func TestTriggersMatchBuildKit(t *testing.T) {
	for _, in := range Instructions {
		_, err := instructions.ParseInstruction(parseLine(t, "ONBUILD "+in.Name+" "+instructionSamples[in.Name]))
		if (err == nil) != in.Trigger {
			t.Errorf("ONBUILD %s: err %v, table says Trigger=%v", in.Name, err, in.Trigger)
		}
	}
}

// TestStateMatchesModel checks the State column against the build model
// and the index: an instruction has State exactly when a RUN after it sees
// another working directory, user or variables (the model's State) or runs
// through another shell (the SHELL the index parses its script with) than
// one right after FROM.
func TestStateMatchesModel(t *testing.T) {
	stateAt := func(text string) (State, string) {
		ix := Parse(NewDocument(text))
		if ix.ParseError != nil || ix.Len() != 3 {
			t.Fatalf("%q: %d instructions, error %v", text, ix.Len(), ix.ParseError)
		}
		return ix.Model().State(2), ix.stageShell(2)
	}
	base, baseShell := stateAt("FROM alpine\nLABEL x=y\nRUN true\n")
	checkColumn(t, "State", func(in *InstructionInfo) bool { return in.State }, func(in *InstructionInfo, sample string) (bool, error) {
		st, sh := stateAt("FROM alpine\n" + in.Name + " " + sample + "\nRUN true\n")
		return st.Workdir != base.Workdir || st.User != base.User || !maps.Equal(st.env, base.env) || sh != baseShell, nil
	})
}
