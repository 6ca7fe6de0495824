package main

import (
	"bufio"
	"strings"
	"testing"
	"time"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

func TestReadFrame(t *testing.T) {
	in := "Content-Length: 2\r\nContent-Type: x\r\n\r\n{}content-length: 3\r\n\r\n[1]"
	br := bufio.NewReader(strings.NewReader(in))
	for _, want := range []string{"{}", "[1]"} {
		got, err := readFrame(br)
		if err != nil || string(got) != want {
			t.Fatalf("readFrame = %q, %v; want %q", got, err, want)
		}
	}
	if _, err := readFrame(bufio.NewReader(strings.NewReader("X: 1\r\n\r\n"))); err == nil {
		t.Fatal("a frame without Content-Length was accepted")
	}
}

func TestFindTargets(t *testing.T) {
	tg, err := findTargets(testgen.Large(3))
	if err != nil {
		t.Fatal(err)
	}
	if tg.refName != "stage-1" || tg.currentStage != "stage-2" {
		t.Fatalf("ref %q in stage %q; want stage-1 in stage-2", tg.refName, tg.currentStage)
	}
	line := tg.lines[tg.completion.Line]
	if !strings.HasSuffix(line[:tg.completion.Character], "--from=") {
		t.Fatalf("completion at %d in %q", tg.completion.Character, line)
	}
	if !strings.HasSuffix(tg.lines[tg.declLine], "AS stage-1") {
		t.Fatalf("declaration line %q", tg.lines[tg.declLine])
	}
	if !strings.HasPrefix(tg.lines[tg.keyLine], "#") {
		t.Fatalf("keystroke line %q", tg.lines[tg.keyLine])
	}
}

func TestMedianCountsTimeoutAsLongest(t *testing.T) {
	m := &measurement{samples: []time.Duration{3, 1}, timedOut: time.Second}
	if med, ok := m.median(); !ok || med != 3 {
		t.Fatalf("median = %v, %v; want 3", med, ok)
	}
	m = &measurement{timedOut: time.Second}
	if _, ok := m.median(); ok {
		t.Fatal("a lone timeout has a median")
	}
}
