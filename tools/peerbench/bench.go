package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// kinds of measurement, in the order they are made and reported.
const (
	kOpen       = "didOpen → diagnostics"
	kCompletion = "completion after `COPY --from=`"
	kDefinition = "definition on a `--from=` reference"
	kReferences = "references on the stage name"
	kKeystroke  = "keystroke didChange → diagnostics"
	kBurst      = "burst of 10 keystrokes → last diagnostics"
	kCPU        = "server CPU per keystroke"
	kCPUPaced   = "server CPU per keystroke, 150 ms apart"
	kSymbols    = "documentSymbol (tree)"
	kSemTokens  = "semanticTokens/full"
)

var kindOrder = []string{kOpen, kKeystroke, kBurst, kCPU, kCPUPaced, kCompletion, kDefinition, kReferences, kSymbols, kSemTokens}

// plan says how often and how long to wait for one server.
type plan struct {
	reps      int           // completion, definition, references
	diagReps  int           // didOpen and keystroke
	semReps   int           // semantic tokens
	warmSem   bool          // warm semantic tokens up once first
	timeout   time.Duration // per request or per wait for diagnostics
	semTime   time.Duration // per semantic tokens request
	deadline  time.Time     // stop measuring (record "skipped") after this
	keyPause  time.Duration // between keystrokes
	cpuKeys   int           // keystrokes whose server CPU is summed
	cpuPaced  int           // keystrokes of the paced row
	cpuOnly   bool          // measure only the server CPU row
	serverArg []string
	dir       string
}

// measurement is what one kind of request did on one server.
type measurement struct {
	samples  []time.Duration
	timedOut time.Duration // nonzero: the last attempt did not finish within it
	returned string
	note     string // unsupported, error, skipped
	count    int    // when nonzero, what the single sample is the mean of
}

// median returns the median, counting a timeout as longer than everything.
func (m *measurement) median() (time.Duration, bool) {
	all := append([]time.Duration(nil), m.samples...)
	if m.timedOut > 0 {
		all = append(all, time.Duration(math.MaxInt64))
	}
	if len(all) == 0 {
		return 0, false
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	var med time.Duration
	if len(all)%2 == 1 {
		med = all[len(all)/2]
	} else {
		a, b := all[len(all)/2-1], all[len(all)/2]
		if b == time.Duration(math.MaxInt64) {
			med = b
		} else {
			med = (a + b) / 2
		}
	}
	return med, med != time.Duration(math.MaxInt64)
}

// session is one server process with one document open.
type session struct {
	ctx   context.Context
	name  string
	p     plan
	c     *conn
	uri   string
	text  string
	ver   int32
	tg    *targets
	track func(*conn)
	info  string // serverInfo from initialize
	dead  bool   // killed after a timeout
}

func (s *session) start() error {
	c, err := start(s.ctx, s.name, s.p.dir, s.p.serverArg...)
	if err != nil {
		return err
	}
	s.track(c)
	s.c = c
	root := fileURI(filepath.Dir(filepath.Dir(uriPath(s.uri))))
	params := map[string]any{
		"processId": os.Getpid(),
		"rootUri":   root,
		"workspaceFolders": []map[string]string{
			{"uri": root, "name": "peerbench"},
		},
		"capabilities": map[string]any{
			"general": map[string]any{"positionEncodings": []string{"utf-16"}},
			"textDocument": map[string]any{
				"synchronization":    map[string]any{"didSave": false},
				"completion":         map[string]any{"completionItem": map[string]any{"snippetSupport": false}},
				"definition":         map[string]any{"linkSupport": false},
				"references":         map[string]any{},
				"documentSymbol":     map[string]any{"hierarchicalDocumentSymbolSupport": true},
				"publishDiagnostics": map[string]any{"versionSupport": true},
				"semanticTokens": map[string]any{
					"requests":       map[string]any{"full": true},
					"tokenTypes":     []string{"keyword", "comment", "parameter", "property", "namespace", "class", "macro", "string", "variable", "operator", "type", "function", "number", "regexp", "decorator"},
					"tokenModifiers": []string{"declaration", "definition", "deprecated", "readonly", "modification", "documentation", "defaultLibrary"},
					"formats":        []string{"relative"},
				},
			},
		},
	}
	r, _, err := c.call("initialize", params, 30*time.Second)
	if err != nil {
		return fmt.Errorf("%s initialize: %w%s", s.name, err, c.stderrNote())
	}
	if r.err != nil {
		return fmt.Errorf("%s initialize: %v", s.name, r.err)
	}
	var ir struct {
		ServerInfo *struct{ Name, Version string } `json:"serverInfo"`
	}
	_ = json.Unmarshal(r.result, &ir)
	if ir.ServerInfo != nil {
		s.info = strings.TrimSpace(ir.ServerInfo.Name + " " + ir.ServerInfo.Version)
	}
	return c.notify("initialized", map[string]any{})
}

// open opens the main document and waits for its diagnostics (a warm-up).
func (s *session) open() error {
	s.ver = 1
	s.c.drainDiags()
	if err := s.c.notify("textDocument/didOpen", didOpen(s.uri, s.text)); err != nil {
		return err
	}
	_, err := s.c.waitDiags(s.uri, s.ver, s.p.timeout)
	if err != nil {
		return fmt.Errorf("%s: diagnostics after opening %s: %w", s.name, s.uri, err)
	}
	return nil
}

// alive replaces a server that was killed because it was stuck on a
// request that timed out.
func (s *session) alive() error {
	if !s.dead {
		return nil
	}
	s.dead = false
	if err := s.start(); err != nil {
		return err
	}
	return s.open()
}

func didOpen(uri, text string) map[string]any {
	return map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "dockerfile", "version": 1, "text": text,
	}}
}

func (s *session) over() bool { return time.Now().After(s.p.deadline) }

// run measures every kind on this server.
func (s *session) run(openURIs []string) (map[string]*measurement, error) {
	out := map[string]*measurement{}
	if err := s.start(); err != nil {
		return nil, err
	}
	if err := s.open(); err != nil {
		return nil, err
	}

	if s.p.cpuOnly {
		var err error
		if out[kCPU], err = s.cpuPerKeystroke(s.p.cpuKeys, 0); err != nil {
			return nil, err
		}
		if out[kCPUPaced], err = s.cpuPerKeystroke(s.p.cpuPaced, 150*time.Millisecond); err != nil {
			return nil, err
		}
		return out, nil
	}

	// didOpen of the same text under other names: the first diagnostics.
	m := &measurement{}
	out[kOpen] = m
	for i := 0; i < s.p.diagReps && i < len(openURIs); i++ {
		if s.over() {
			m.note = "skipped: time budget spent"
			break
		}
		u := openURIs[i]
		s.c.drainDiags()
		t0 := time.Now()
		if err := s.c.notify("textDocument/didOpen", didOpen(u, s.text)); err != nil {
			return nil, err
		}
		ev, err := s.c.waitDiags(u, 1, s.p.timeout)
		if errors.Is(err, errTimeout) {
			m.timedOut = s.p.timeout
			s.c.kill()
			s.dead = true
			break
		} else if err != nil {
			return nil, err
		}
		m.samples = append(m.samples, ev.at.Sub(t0))
		m.returned = plural(ev.count, "diagnostic")
		_ = s.c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": u}})
		_, _ = s.c.waitDiags(u, 1, 2*time.Second) // the clearing publish, if any
	}

	// One character typed at the end of a comment, then deleted, and so on.
	m = &measurement{}
	out[kKeystroke] = m
	if err := s.alive(); err != nil {
		return nil, err
	}
	line := s.tg.keyLine
	end := col(s.tg.lines[line], len(s.tg.lines[line]))
	typed := false
	for i := 0; i <= s.p.diagReps; i++ { // the first is a warm-up
		if s.over() {
			m.note = "skipped: time budget spent"
			break
		}
		var change map[string]any
		if !typed {
			change = map[string]any{"range": rng(line, end, line, end), "text": "x"}
		} else {
			change = map[string]any{"range": rng(line, end, line, end+1), "text": ""}
		}
		typed = !typed
		s.ver++
		time.Sleep(s.p.keyPause)
		s.c.drainDiags()
		t0 := time.Now()
		if err := s.c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": s.uri, "version": s.ver},
			"contentChanges": []any{change},
		}); err != nil {
			return nil, err
		}
		ev, err := s.c.waitDiags(s.uri, s.ver, s.p.timeout)
		if errors.Is(err, errTimeout) {
			m.timedOut = s.p.timeout
			s.c.kill()
			s.dead = true
			typed = false
			break
		} else if err != nil {
			return nil, err
		}
		if i > 0 {
			m.samples = append(m.samples, ev.at.Sub(t0))
		}
		m.returned = plural(ev.count, "diagnostic")
	}
	if typed && !s.dead { // put the text back as it was
		s.ver++
		_ = s.c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": s.uri, "version": s.ver},
			"contentChanges": []any{map[string]any{"range": rng(line, end, line, end+1), "text": ""}},
		})
		_, _ = s.c.waitDiags(s.uri, s.ver, s.p.timeout)
	}

	var err error
	if out[kBurst], err = s.burst(burstKeys); err != nil {
		return nil, err
	}
	if out[kCPU], err = s.cpuPerKeystroke(s.p.cpuKeys, 0); err != nil {
		return nil, err
	}
	if out[kCPUPaced], err = s.cpuPerKeystroke(s.p.cpuPaced, 150*time.Millisecond); err != nil {
		return nil, err
	}

	doc := map[string]any{"uri": s.uri}
	out[kCompletion], err = s.request("textDocument/completion", map[string]any{
		"textDocument": doc, "position": s.tg.completion,
		"context": map[string]any{"triggerKind": 2, "triggerCharacter": "="},
	}, s.p.reps, true, s.p.timeout, s.describeCompletion)
	if err != nil {
		return nil, err
	}
	out[kDefinition], err = s.request("textDocument/definition", map[string]any{
		"textDocument": doc, "position": s.tg.definition,
	}, s.p.reps, true, s.p.timeout, s.describeDefinition)
	if err != nil {
		return nil, err
	}
	out[kReferences], err = s.request("textDocument/references", map[string]any{
		"textDocument": doc, "position": s.tg.references,
		"context": map[string]any{"includeDeclaration": true},
	}, s.p.reps, true, s.p.timeout, describeLocations)
	if err != nil {
		return nil, err
	}
	if out[kSymbols], err = s.symbolsAfterEdits(doc); err != nil {
		return nil, err
	}
	// Last: a server that times out here is killed, not waited for.
	out[kSemTokens], err = s.request("textDocument/semanticTokens/full", map[string]any{
		"textDocument": doc,
	}, s.p.semReps, s.p.warmSem, s.p.semTime, describeTokens)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// burstKeys is the number of keystrokes of the burst row.
const burstKeys = 10

// burst types keys characters at the end of the key line, each its own
// version, sent one after the other without waiting, as a fast typist's
// editor sends them, and times from the last one written to that last
// version's diagnostics: a server that publishes as soon as it is free
// and coalesces the versions typed meanwhile answers the burst about as
// fast as one keystroke; one that validates every version pays for each.
// The characters are then deleted, in one change. The first burst is a
// warm-up.
func (s *session) burst(keys int) (*measurement, error) {
	m := &measurement{}
	if err := s.alive(); err != nil {
		return nil, err
	}
	line := s.tg.keyLine
	end := col(s.tg.lines[line], len(s.tg.lines[line]))
	var publishes []int
	for i := 0; i <= s.p.diagReps; i++ {
		if s.over() {
			m.note = "skipped: time budget spent"
			break
		}
		time.Sleep(s.p.keyPause)
		s.c.drainDiags()
		var t0 time.Time
		for k := range keys {
			s.ver++
			t0 = time.Now()
			if err := s.c.notify("textDocument/didChange", map[string]any{
				"textDocument":   map[string]any{"uri": s.uri, "version": s.ver},
				"contentChanges": []any{map[string]any{"range": rng(line, end+k, line, end+k), "text": "x"}},
			}); err != nil {
				return nil, err
			}
		}
		ev, seen, err := s.c.waitBurst(s.uri, s.ver, keys, s.p.timeout*time.Duration(keys))
		if errors.Is(err, errTimeout) {
			m.timedOut = s.p.timeout * time.Duration(keys)
			s.c.kill()
			s.dead = true
			break
		} else if err != nil {
			return nil, err
		}
		if i > 0 {
			m.samples = append(m.samples, ev.at.Sub(t0))
			publishes = append(publishes, seen)
		}
		m.returned = plural(ev.count, "diagnostic")
		s.ver++
		s.c.drainDiags()
		if err := s.c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": s.uri, "version": s.ver},
			"contentChanges": []any{map[string]any{"range": rng(line, end, line, end+keys), "text": ""}},
		}); err != nil {
			return nil, err
		}
		if _, err := s.c.waitDiags(s.uri, s.ver, s.p.timeout); err != nil && !errors.Is(err, errTimeout) {
			return nil, err
		}
	}
	if len(publishes) > 0 {
		slices.Sort(publishes)
		m.returned += fmt.Sprintf(", %d-%d publishes for the %d versions", publishes[0], publishes[len(publishes)-1], keys)
	}
	return m, nil
}

// typeKey types a character at the end of the key line, or deletes the
// one typed before (typed says which, and flips), as a new version, and
// waits for that version's diagnostics: the keystroke of the CPU and
// documentSymbol rows.
func (s *session) typeKey(typed *bool) error {
	line := s.tg.keyLine
	end := col(s.tg.lines[line], len(s.tg.lines[line]))
	change := map[string]any{"range": rng(line, end, line, end), "text": "x"}
	if *typed {
		change = map[string]any{"range": rng(line, end, line, end+1), "text": ""}
	}
	*typed = !*typed
	s.ver++
	s.c.drainDiags()
	if err := s.c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": s.uri, "version": s.ver},
		"contentChanges": []any{change},
	}); err != nil {
		return err
	}
	_, err := s.c.waitDiags(s.uri, s.ver, s.p.timeout)
	return err
}

// cpuPerKeystroke types n of the same keystrokes as the keystroke row,
// each one waiting for that version's diagnostics and then pause, and
// reads the server process's own CPU time (user + system, all its
// threads, from /proc/PID/stat) before the first and after the last: the
// CPU the server spends per keystroke, whatever thread or runtime spends
// it (the JSON-RPC read, the rules, the publish, the garbage collector,
// and with a pause the work its timers do while a person types, and its
// idle CPU). The client's own work is not in it. One warm-up keystroke
// comes first.
func (s *session) cpuPerKeystroke(keys int, pause time.Duration) (*measurement, error) {
	m := &measurement{}
	if err := s.alive(); err != nil {
		return nil, err
	}
	typed := false
	key := func() error { return s.typeKey(&typed) }
	if err := key(); err != nil { // warm-up
		return nil, err
	}
	pid := s.c.cmd.Process.Pid
	before, err := readCPU(pid)
	if err != nil {
		m.note = "error: " + err.Error()
		return m, nil
	}
	n := 0
	for ; n < keys; n++ {
		if s.over() {
			m.note = "budget spent: fewer keystrokes"
			break
		}
		if n > 0 && pause > 0 {
			time.Sleep(pause)
		}
		if err := key(); errors.Is(err, errTimeout) {
			m.timedOut = s.p.timeout
			s.c.kill()
			s.dead = true
			return m, nil
		} else if err != nil {
			return nil, err
		}
	}
	after, err := readCPU(pid)
	if err != nil {
		m.note = "error: " + err.Error()
		return m, nil
	}
	if typed { // put the text back as it was
		if err := key(); err != nil {
			return nil, err
		}
	}
	if n > 0 {
		used, how := after.since(before)
		m.samples = []time.Duration{used / time.Duration(n)}
		m.count = n
		m.returned = fmt.Sprintf("%s in all over %d keystrokes (%s)", fmtDur(used), n, how)
	}
	return m, nil
}

// clockTick is the unit of utime and stime in /proc/PID/stat (USER_HZ,
// 100 on Linux unless `getconf CLK_TCK` says otherwise).
var clockTick = func() time.Duration {
	if out, err := exec.Command("getconf", "CLK_TCK").Output(); err == nil {
		if hz, err := strconv.Atoi(strings.TrimSpace(string(out))); err == nil && hz > 0 {
			return time.Second / time.Duration(hz)
		}
	}
	return 10 * time.Millisecond
}()

// cpuReading is a process's CPU time read two ways: from its threads'
// scheduler statistics (nanoseconds on the CPU, exact) and from its stat
// (clock ticks, sampled: at 10 ms a tick, a row of 200 keystrokes of
// about 1 ms each is counted to within a few percent at best).
type cpuReading struct {
	ticks   time.Duration // user + system, all threads, living and exited
	exact   time.Duration // sum of the living threads' run time; 0 if unknown
	threads string        // the living threads' ids, in /proc's order
}

// readCPU reads process pid's CPU time.
func readCPU(pid int) (cpuReading, error) {
	var r cpuReading
	var err error
	if r.ticks, err = processCPU(pid); err != nil {
		return r, err
	}
	r.exact, r.threads = threadsRunTime(pid)
	return r, nil
}

// since is the CPU time used between before and r, and how it was
// measured. The exact sum counts only living threads, so it is used only
// when the same threads lived at both readings: a thread that ended in
// between would take its whole run time out of the sum.
func (r cpuReading) since(before cpuReading) (time.Duration, string) {
	if r.exact > 0 && before.exact > 0 && r.threads == before.threads && r.exact >= before.exact {
		return r.exact - before.exact, "scheduler run time"
	}
	return r.ticks - before.ticks, "clock ticks"
}

// threadsRunTime sums the first field of /proc/PID/task/*/schedstat, each
// thread's time on the CPU in nanoseconds, and lists the threads read. It
// returns 0 where the kernel does not keep these statistics.
func threadsRunTime(pid int) (time.Duration, string) {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return 0, ""
	}
	var sum time.Duration
	var ids strings.Builder
	for _, t := range tasks {
		b, err := os.ReadFile(filepath.Join(dir, t.Name(), "schedstat"))
		if err != nil {
			return 0, ""
		}
		ns, err := parseSchedstat(string(b))
		if err != nil {
			return 0, ""
		}
		sum += ns
		ids.WriteString(t.Name())
		ids.WriteByte(' ')
	}
	return sum, ids.String()
}

// parseSchedstat reads the run time, in nanoseconds, that starts a
// schedstat line ("run-ns wait-ns timeslices").
func parseSchedstat(line string) (time.Duration, error) {
	f := strings.Fields(line)
	if len(f) != 3 {
		return 0, fmt.Errorf("schedstat %q: want 3 fields", line)
	}
	ns, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || ns < 0 {
		return 0, fmt.Errorf("schedstat %q: bad run time", line)
	}
	return time.Duration(ns), nil
}

// processCPU is the user + system CPU time process pid has used, summed
// over all its threads, living and exited.
func processCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(string(b))
}

// parseStatCPU reads utime and stime (fields 14 and 15) from the text of
// /proc/PID/stat. The command name (field 2) is in parentheses and may hold
// spaces or parentheses, so fields are counted after its last ')'.
func parseStatCPU(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, errors.New("/proc stat without a command name")
	}
	f := strings.Fields(stat[i+1:]) // f[0] is field 3, the state
	if len(f) < 13 {
		return 0, errors.New("/proc stat too short")
	}
	var ticks int64
	for _, s := range f[11:13] {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc stat: %w", err)
		}
		ticks += v
	}
	return time.Duration(ticks) * clockTick, nil
}

// symbolsAfterEdits measures documentSymbol as an editor asks for it: on a
// new version each time (a character typed, then deleted), once that
// version's diagnostics are in, so a server's answer for a version it has
// already answered is never what is timed. The first is a warm-up.
func (s *session) symbolsAfterEdits(doc map[string]any) (*measurement, error) {
	m := &measurement{}
	if err := s.alive(); err != nil {
		return nil, err
	}
	typed := false
	for i := 0; i <= s.p.reps; i++ {
		if s.over() {
			m.note = "skipped: time budget spent"
			break
		}
		if err := s.typeKey(&typed); err != nil {
			return nil, err
		}
		r, d, err := s.c.call("textDocument/documentSymbol", map[string]any{"textDocument": doc}, s.p.timeout)
		if errors.Is(err, errTimeout) {
			m.timedOut = s.p.timeout
			s.c.kill()
			s.dead = true
			return m, nil
		} else if err != nil {
			return nil, err
		}
		if r.err != nil {
			m.note, m.samples = "error: "+r.err.Error(), nil
			return m, nil
		}
		if i > 0 {
			m.samples = append(m.samples, d)
		}
		m.returned = describeSymbols(r.result)
	}
	if typed { // put the text back as it was
		_ = s.typeKey(&typed)
	}
	return m, nil
}

// request measures reps calls of method, after one warm-up call if warm.
func (s *session) request(method string, params any, reps int, warm bool, timeout time.Duration, describe func(json.RawMessage) string) (*measurement, error) {
	m := &measurement{}
	if err := s.alive(); err != nil {
		return nil, err
	}
	n := reps
	if warm {
		n++
	}
	for i := 0; i < n; i++ {
		if s.over() {
			m.note = "skipped: time budget spent"
			break
		}
		r, d, err := s.c.call(method, params, timeout)
		if errors.Is(err, errTimeout) {
			m.timedOut = timeout
			s.c.kill() // it would answer everything after this late
			s.dead = true
			return m, nil
		}
		if err != nil {
			return nil, err
		}
		if r.err != nil {
			if r.err.Code == -32601 {
				m.note = "unsupported (method not found)"
			} else {
				m.note = "error: " + r.err.Error()
			}
			m.samples = nil
			return m, nil
		}
		if !warm || i > 0 {
			m.samples = append(m.samples, d)
		}
		m.returned = describe(r.result)
	}
	return m, nil
}

func (s *session) describeCompletion(raw json.RawMessage) string {
	var items []struct {
		Label string `json:"label"`
	}
	if !isNull(raw) && json.Unmarshal(raw, &items) != nil {
		var list struct {
			Items []struct {
				Label string `json:"label"`
			} `json:"items"`
		}
		if json.Unmarshal(raw, &list) != nil {
			return "unreadable"
		}
		items = list.Items
	}
	if isNull(raw) {
		return "null"
	}
	d := plural(len(items), "item")
	if len(items) > 0 && len(items) <= 3 {
		var labels []string
		for _, it := range items {
			labels = append(labels, "`"+it.Label+"`")
		}
		d += " (" + strings.Join(labels, ", ") + ")"
	}
	for _, it := range items {
		if s.tg.currentStage != "" && strings.EqualFold(it.Label, s.tg.currentStage) {
			d += fmt.Sprintf(", incl. the current stage `%s`", s.tg.currentStage)
			break
		}
	}
	return d
}

type location struct {
	URI   string `json:"uri"`
	Range struct {
		Start position `json:"start"`
	} `json:"range"`
	TargetURI   string `json:"targetUri"`
	TargetRange struct {
		Start position `json:"start"`
	} `json:"targetSelectionRange"`
}

func parseLocations(raw json.RawMessage) ([]location, bool) {
	if isNull(raw) {
		return nil, false
	}
	var locs []location
	if json.Unmarshal(raw, &locs) != nil {
		var one location
		if json.Unmarshal(raw, &one) != nil {
			return nil, false
		}
		locs = []location{one}
	}
	for i := range locs {
		if locs[i].TargetURI != "" {
			locs[i].URI = locs[i].TargetURI
			locs[i].Range.Start = locs[i].TargetRange.Start
		}
	}
	return locs, true
}

func (s *session) describeDefinition(raw json.RawMessage) string {
	locs, ok := parseLocations(raw)
	if !ok {
		return "null"
	}
	d := plural(len(locs), "location")
	if len(locs) == 1 {
		l := locs[0].Range.Start.Line
		if l == s.tg.declLine {
			d += fmt.Sprintf(" (line %d, the stage's `AS`)", l+1)
		} else {
			d += fmt.Sprintf(" (line %d, not the stage's line %d)", l+1, s.tg.declLine+1)
		}
	}
	return d
}

func describeLocations(raw json.RawMessage) string {
	locs, ok := parseLocations(raw)
	if !ok {
		return "null"
	}
	return plural(len(locs), "location")
}

// describeSymbols counts the outline's entries at the top and in all.
func describeSymbols(raw json.RawMessage) string {
	var top []struct {
		Children []json.RawMessage `json:"children"`
	}
	if isNull(raw) || json.Unmarshal(raw, &top) != nil {
		return "null"
	}
	all := len(top)
	for _, t := range top {
		all += len(t.Children)
	}
	return fmt.Sprintf("%s, %d in all", plural(len(top), "top-level symbol"), all)
}

func describeTokens(raw json.RawMessage) string {
	if isNull(raw) {
		return "null"
	}
	var t struct {
		Data []uint32 `json:"data"`
	}
	if json.Unmarshal(raw, &t) != nil {
		return "unreadable"
	}
	return plural(len(t.Data)/5, "token")
}

func isNull(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s == "" || s == "null"
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func rng(l1, c1, l2, c2 int) map[string]any {
	return map[string]any{"start": position{l1, c1}, "end": position{l2, c2}}
}
