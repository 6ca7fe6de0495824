package analysis

import (
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// TestInstructionTable checks the table against BuildKit: every instruction
// it knows is listed, every flag listed is accepted, and an instruction takes
// no flag the table leaves out (a made-up flag is refused the same way).
func TestInstructionTable(t *testing.T) {
	if len(Instructions) != len(instructionNames) {
		t.Errorf("table has %d instructions, BuildKit %d", len(Instructions), len(instructionNames))
	}
	for _, name := range instructionNames {
		if LookupInstruction(name) == nil {
			t.Errorf("%s missing from the table", name)
		}
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
