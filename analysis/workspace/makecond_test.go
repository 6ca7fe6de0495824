package workspace

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMakeConds: the lines GNU make reads of a Makefile with
// conditionals, given the values known: one branch where the condition
// is known, both where it is not (a $(shell ...) value, a variable only
// the environment may set), nested conditionals, `else ifeq`, the quoted
// forms, a recipe's conditional lines and a define block's text.
func TestMakeConds(t *testing.T) {
	tests := []struct {
		name, text string
		given      makeGiven
		want       []string // the lines read
	}{
		{"default", "ENV ?= dev\nifeq ($(ENV),prod)\nA := release\nelse ifeq ($(ENV), dev)\nA := dev\nelse\nA := other\nendif\n",
			makeGiven{}, []string{"ENV ?= dev", "A := dev"}},
		{"cmdline", "ENV ?= dev\nifeq ($(ENV),prod)\nA := release\nelse\nA := dev\nendif\n",
			makeGiven{cmdline: map[string][]value{"ENV": {{text: "prod"}}}}, []string{"ENV ?= dev", "A := release"}},
		{"env wins over ?= only", "ENV ?= dev\nMODE = fast\nifeq \"$(ENV)-$(MODE)\" 'ci-fast'\nA := ci\nendif\n",
			makeGiven{env: func(n string) []value {
				if n == "ENV" || n == "MODE" {
					return []value{{text: "ci"}}
				}
				return nil
			}}, []string{"ENV ?= dev", "MODE = fast", "A := ci"}},
		{"unknown", "ARCH ?= $(shell uname -m)\nifeq ($(ARCH),arm64)\nA := arm\nelse\nA := amd\nendif\nifdef CI\nB := ci\nendif\n",
			makeGiven{}, []string{"ARCH ?= $(shell uname -m)", "A := arm", "A := amd", "B := ci"}},
		{"nested", "X := 1\nifeq ($(X),1)\nifneq ($(X),1)\nA := no\nelse\nA := yes\nendif\nelse\nA := never\nendif\n",
			makeGiven{}, []string{"X := 1", "A := yes"}},
		{"ifdef empty", "EMPTY =\nifndef EMPTY\nA := unset\nendif\nifdef EMPTY # a comment\nA := set\nendif\n",
			makeGiven{}, []string{"EMPTY =", "A := unset"}},
		{"recipe", "ENV := prod\nimage:\nifeq ($(ENV),prod)\n\tdocker build --target release .\nelse\n\tdocker build --target dev .\nendif\n",
			makeGiven{}, []string{"ENV := prod", "image:", "\tdocker build --target release ."}},
		{"maybe assigned", "ifdef CI\nX := a\nendif\nifeq ($(X),a)\nA := a\nendif\n",
			makeGiven{}, []string{"X := a", "A := a"}},
		{"define", "define HELP\nifeq\nendef\nX := 1\nifeq ($(X),2)\nA := no\nendif\n",
			makeGiven{}, []string{"define HELP", "ifeq", "endef", "X := 1"}},
		{"strip", "X := ci \nifeq ($(strip $(X)),prod)\nA := prod\nendif\nifneq ($(strip ${Y}),)\nB := y\nendif\nifeq ($(subst a,b,$(X)),ci)\nC := maybe\nendif\n",
			makeGiven{}, []string{"X := ci ", "B := y", "C := maybe"}},
		{"unbalanced", "endif\nelse\nifeq ($(X)\nA := maybe\n",
			makeGiven{}, []string{"A := maybe"}},
	}
	for _, tt := range tests {
		c := newMakeConds(tt.given)
		var got []string
		for _, line := range strings.Split(strings.TrimSuffix(tt.text, "\n"), "\n") {
			if c.read(line) {
				got = append(got, line)
			}
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, d)
		}
	}
}
