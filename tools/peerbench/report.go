package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// row is one request kind on one file.
type row struct {
	file, kind string
	sh, node   *measurement
}

// fmtDur prints a duration with three significant digits or so.
func fmtDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.3f ms", float64(d)/1e6)
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/1e6)
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/1e6)
	default:
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
}

// cell is a measurement's median for the table.
func cell(m *measurement) string {
	if m == nil {
		return "—"
	}
	if med, ok := m.median(); ok {
		n := len(m.samples)
		if m.count > 0 {
			n = m.count
		}
		return fmt.Sprintf("%s (n=%d)", fmtDur(med), n)
	}
	if m.timedOut > 0 {
		return ">" + fmtDur(m.timedOut)
	}
	return "—"
}

func what(m *measurement) string {
	if m == nil {
		return "—"
	}
	var parts []string
	if m.returned != "" {
		parts = append(parts, m.returned)
	}
	if m.timedOut > 0 {
		parts = append(parts, fmt.Sprintf("timed out after %s", fmtDur(m.timedOut)))
	}
	if m.note != "" {
		parts = append(parts, m.note)
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, "; ")
}

func ratio(sh, node *measurement) string {
	if sh == nil || node == nil {
		return "—"
	}
	s, ok := sh.median()
	if !ok || s <= 0 {
		return "—"
	}
	n, ok := node.median()
	prefix := ""
	if !ok {
		if node.timedOut == 0 {
			return "—"
		}
		n, prefix = node.timedOut, ">"
	}
	r := float64(n) / float64(s)
	switch {
	case r >= 100:
		return fmt.Sprintf("%s%s×", prefix, groupThousands(int64(r+0.5)))
	case r >= 10:
		return fmt.Sprintf("%s%.0f×", prefix, r)
	default:
		return fmt.Sprintf("%s%.1f×", prefix, r)
	}
}

func groupThousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// render writes the results as Markdown.
func render(e *env, rows []row) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Peer benchmark: Stagehand and rcjsuen's Node server\n\n")
	fmt.Fprintf(&b, "Produced by `go run ./tools/peerbench` on %s; the run took %s.\n\n", e.date, e.elapsed.Round(time.Second))
	fmt.Fprintf(&b, "- Machine: %d CPUs (nproc), %s, %s.\n", e.nproc, e.cpu, e.kernel)
	fmt.Fprintf(&b, "- Load average (1/5/15 min) at the start: %s; at the end: %s. The machine was shared with other\n  engineers compiling and testing while this ran, so absolute times are noisy; the two servers ran\n  one after the other on each file, under the same conditions, which is what the ratios compare.\n", e.loadStart, e.loadEnd)
	fmt.Fprintf(&b, "- Stagehand: %s (commit %s), built with %s, run as `stagehand serve`.\n", orUnknown(e.stagehandVersion), orUnknown(e.commit), e.goVersion)
	fmt.Fprintf(&b, "- Node server: %s on Node %s, run as `docker-langserver --stdio`.\n\n", e.nodeServer, orUnknown(e.nodeVersion))

	file := ""
	for _, r := range rows {
		if r.file != file {
			file = r.file
			fmt.Fprintf(&b, "\n### %s\n\n", file)
			b.WriteString("| Request | Stagehand median | Node median | Node / Stagehand | Stagehand returned | Node returned |\n")
			b.WriteString("|---|---:|---:|---:|---|---|\n")
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", r.kind, cell(r.sh), cell(r.node), ratio(r.sh, r.node), what(r.sh), what(r.node))
	}
	b.WriteString(`
Notes:
- Times are wall-clock from just before the request (or notification) is written to the server's
  stdin to just after the last byte of the answer (or of the publishDiagnostics) is read, medians of
  n measured runs after one warm-up (none for the Node server's semantic tokens on large files).
  A ">T" entry timed out after T; the server was then killed, and restarted for what followed.
- Neither server waits on a timer before publishing: Stagehand runs its rules as soon as a change
  arrives (changes that come during a run are coalesced into one run after it); the Node server
  validates synchronously on every didOpen and didChange since this client does not offer
  workspace/configuration.
- The keystroke types one character at the end of a comment near the middle of the file, then
  deletes it, alternately, with an incremental change; each is a new version.
- The burst types 10 characters there, each its own version and change, written one after the
  other without waiting; it is timed from the last one written to the diagnostics of the last
  version (for a server that does not say which version diagnostics are for, the 10th publish).
  The row says how many publishes came for the 10 versions; the characters are then deleted.
- Server CPU per keystroke is the server process's own CPU time (its threads' run time in
  nanoseconds from /proc/PID/task/*/schedstat, read before and after; user + system clock ticks
  from /proc/PID/stat when a thread started or ended meanwhile, as the row's note says) over n of
  the same keystrokes typed back to back, each waiting for its version's diagnostics, divided by n:
  the mean, not a median. It counts everything the server does (reading the change, the rules, the
  publish, garbage collection), nothing of the client's. Clock ticks are 10 ms, hence the n. The row "150 ms apart" pauses 150 ms
  after each keystroke's diagnostics, as a person types: what the server's timers do meanwhile
  (returning memory to the system, the runtime's background work) and its idle CPU count too.
- Completion is asked just after the ` + "`--from=`" + ` of the file's last ` + "`COPY --from=`" + `; definition inside the
  stage name there; references (includeDeclaration) on that stage's name in its ` + "`FROM ... AS`" + ` line.
- documentSymbol is asked (hierarchical) after each of the same keystrokes, once that version's
  diagnostics are in: always a new version, so no answer comes from a per-version cache. Its time
  includes moving the answer through the pipe (about 3.6 MB from Stagehand on the large file).
`)
	return b.String()
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

const (
	beginMark = "<!-- results:begin -->"
	endMark   = "<!-- results:end -->"
)

// updateReadme replaces the README's results section with report, its
// heading demoted one level.
func updateReadme(path, report string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(b)
	i, j := strings.Index(s, beginMark), strings.Index(s, endMark)
	if i < 0 || j < i {
		return errors.New(path + ": no " + beginMark + " ... " + endMark + " section")
	}
	body := strings.Replace(report, "# Peer benchmark: Stagehand and rcjsuen's Node server\n\n", "", 1)
	body = strings.ReplaceAll(body, "\n### ", "\n#### ")
	s = s[:i+len(beginMark)] + "\n" + body + s[j:]
	return os.WriteFile(path, []byte(s), 0o644)
}
