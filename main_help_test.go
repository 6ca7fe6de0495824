package main

import (
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestHelpAndVersion checks that `stagehand --help` lists every command on
// a line of its own, that each command answers --help on stdout with status
// 0, and what `stagehand version` reports with and without the link-time
// version and commit.
func TestHelpAndVersion(t *testing.T) {
	bin := buildStagehand(t)
	t.Run("help", func(t *testing.T) { testHelp(t, bin) })
	t.Run("version", func(t *testing.T) { testVersion(t, bin) })
}

func testHelp(t *testing.T, bin string) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		out, err := exec.Command(bin, args...).Output()
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		for _, c := range commands {
			if !regexp.MustCompile(`(?m)^  ` + c.name + ` +\S.*$`).Match(out) {
				t.Errorf("%v: no line for %s in\n%s", args, c.name, out)
			}
		}
	}
	for _, c := range commands {
		if c.main == nil {
			continue
		}
		for _, args := range [][]string{{c.name, "--help"}, {"help", c.name}} {
			cmd := exec.Command(bin, args...)
			out, err := cmd.Output()
			if err != nil {
				t.Errorf("%v: %v", args, err)
			}
			if !strings.Contains(string(out), "stagehand "+c.name) && !strings.Contains(string(out), "stagehand [serve]") {
				t.Errorf("%v: usage does not name the command:\n%s", args, out)
			}
			if c.name != "version" && !strings.Contains(string(out), "  -") {
				t.Errorf("%v: no flags listed:\n%s", args, out)
			}
		}
	}
	if err := exec.Command(bin, "nosuchcommand").Run(); err == nil {
		t.Errorf("an unknown command succeeded")
	}
}

func testVersion(t *testing.T, bin string) {
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	goLine := "go: " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
	for _, flag := range []string{"--version", "-version"} {
		if alias, err := exec.Command(bin, flag).Output(); err != nil || string(alias) != string(out) {
			t.Errorf("stagehand %s = %q (%v), want what stagehand version prints, %q", flag, alias, err, out)
		}
	}
	if !regexp.MustCompile(`^stagehand \S+\ncommit: \S+.*\n` + regexp.QuoteMeta(goLine) + `\n$`).Match(out) {
		t.Errorf("version without -ldflags:\n%s", out)
	}

	stamped := bin + "-stamped"
	build := exec.Command("go", "build", "-ldflags", "-X main.version=v9.8.7 -X main.commit=0123abcd", "-o", stamped, ".")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	out, err = exec.Command(stamped, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "stagehand v9.8.7\ncommit: 0123abcd\n" + goLine + "\n"; string(out) != want {
		t.Errorf("version with -ldflags = %q, want %q", out, want)
	}
}
