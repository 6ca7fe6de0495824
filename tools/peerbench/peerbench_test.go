package main

import (
	"bufio"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

func TestReadFrame(t *testing.T) {
	in := "Content-Length: 2\r\nContent-Type: x\r\n\r\n{}content-length: 3\r\n\r\n[1]"
	br := bufio.NewReader(strings.NewReader(in))
	// A buffer too small for the second frame: it is read into a new one.
	buf := make([]byte, 0, 2)
	for _, want := range []string{"{}", "[1]"} {
		got, err := readFrame(br, buf)
		if err != nil || string(got) != want {
			t.Fatalf("readFrame = %q, %v; want %q", got, err, want)
		}
		buf = got
	}
	// A buffer large enough is reused.
	if got, err := readFrame(bufio.NewReader(strings.NewReader("Content-Length: 1\r\n\r\n7")), buf); err != nil || string(got) != "7" || &got[0] != &buf[0] {
		t.Fatalf("readFrame into a large enough buffer = %q, %v, not in it", got, err)
	}
	if _, err := readFrame(bufio.NewReader(strings.NewReader("X: 1\r\n\r\n")), nil); err == nil {
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

func TestParseStatCPU(t *testing.T) {
	// Fields 14 and 15 (utime, stime) are 7 and 5 ticks; the command name
	// holds a space and a parenthesis.
	stat := "4242 (a b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 7 5 0 0 20 0 3 0 100 0 0\n"
	got, err := parseStatCPU(stat)
	if err != nil || got != 12*clockTick {
		t.Fatalf("parseStatCPU = %v, %v; want %v", got, err, 12*clockTick)
	}
	if _, err := parseStatCPU("4242 (x) S 1"); err == nil {
		t.Fatal("a short stat line was accepted")
	}
	own, err := processCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	for end := time.Now().Add(300 * time.Millisecond); time.Now().Before(end); {
	}
	if now, _ := processCPU(os.Getpid()); now <= own {
		t.Fatalf("300 ms of spinning added no CPU: %v then %v", own, now)
	}
}

func TestSchedstatRunTime(t *testing.T) {
	if ns, err := parseSchedstat("324255976 64741428 178\n"); err != nil || ns != 324255976 {
		t.Fatalf("parseSchedstat = %v, %v; want 324255976ns", ns, err)
	}
	for _, bad := range []string{"", "1 2", "x 2 3", "-5 2 3"} {
		if _, err := parseSchedstat(bad); err == nil {
			t.Errorf("parseSchedstat(%q) accepted", bad)
		}
	}
	before, err := readCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if before.exact == 0 {
		t.Fatal("no scheduler statistics under /proc/self/task: the exact reading is lost")
	}
	// Spin until the kernel's own account of this process (getrusage) has
	// grown by 200 ms of CPU, however loaded the machine is, then hold the
	// scheduler's reading to that account.
	rusage := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			t.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := rusage()
	for deadline := time.Now().Add(20 * time.Second); rusage()-start < 200*time.Millisecond; {
		if time.Now().After(deadline) {
			t.Fatal("20 s of wall time gave this process less than 200 ms of CPU")
		}
	}
	spent := rusage() - start
	after, err := readCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	used, how := after.since(before)
	// Both count the same threads' time; getrusage in ticks of up to
	// 10 ms, and the runtime's other threads add a little to either.
	if used < spent-50*time.Millisecond || used > spent+200*time.Millisecond {
		t.Fatalf("%v of CPU by getrusage measured as %v (%s)", spent, used, how)
	}
	// Another set of threads falls back to the ticks.
	after.threads += "0 "
	if _, how := after.since(before); how != "clock ticks" {
		t.Fatalf("a changed thread set measured by %s", how)
	}
}

// TestWaitBurst: the burst row waits for the last version's diagnostics
// when a server versions them, else for the nth publish, and counts the
// publishes for the file either way.
func TestWaitBurst(t *testing.T) {
	v := func(n int32) *int32 { return &n }
	for _, c := range []struct {
		name      string
		events    []diagEvent
		wantCount int // publishes counted; 0: the wait times out
	}{
		{"versioned, coalesced", []diagEvent{{uri: "a", version: v(3)}, {uri: "b", version: v(10)}, {uri: "a", version: v(10)}}, 2},
		{"versioned, an older one last", []diagEvent{{uri: "a", version: v(9)}}, 0},
		{"unversioned, each change", []diagEvent{{uri: "a"}, {uri: "b"}, {uri: "a"}, {uri: "a"}}, 3},
		{"unversioned, too few", []diagEvent{{uri: "a"}, {uri: "a"}}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			cn := &conn{diags: make(chan diagEvent, len(c.events)), done: make(chan struct{})}
			for _, ev := range c.events {
				cn.diags <- ev
			}
			_, seen, err := cn.waitBurst("a", 10, 3, 50*time.Millisecond)
			switch {
			case c.wantCount == 0 && err != errTimeout:
				t.Fatalf("waitBurst = %d publishes, %v; want a timeout", seen, err)
			case c.wantCount > 0 && (err != nil || seen != c.wantCount):
				t.Fatalf("waitBurst = %d publishes, %v; want %d", seen, err, c.wantCount)
			}
		})
	}
}
