// Command peerbench drives Stagehand and rcjsuen's Node language server for
// Dockerfiles (dockerfile-language-server-nodejs) as subprocesses over stdio
// JSON-RPC, with the same requests on the same files in the same run, and
// reports the median latency of each, their ratio and what each returned.
//
// From the repository root:
//
//	npm ci --prefix tools/peerbench
//	go run ./tools/peerbench
//
// It writes tools/peerbench/RESULTS.md and the results section of
// tools/peerbench/README.md; -write=false only prints.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

const nodePackage = "dockerfile-language-server-nodejs"

func main() {
	log := func(format string, a ...any) { fmt.Fprintf(os.Stderr, "peerbench: "+format+"\n", a...) }
	if err := run(log); err != nil {
		log("%v", err)
		os.Exit(1)
	}
}

type options struct {
	stagehand   string
	stages      int
	corpusFile  string
	reps        int
	diagReps    int
	semReps     int
	nodeReps    int
	nodeDiag    int
	cpuKeys     int
	nodeCPU     int
	nodeCPUBig  int
	cpuOnly     bool
	cpuPaced    int
	nodePaced   int
	nodeSem     int
	nodeTimeout time.Duration
	nodeSemTime time.Duration
	timeout     time.Duration
	budget      time.Duration
	write       bool
}

func run(log func(string, ...any)) error {
	var o options
	flag.StringVar(&o.stagehand, "stagehand", "", "Stagehand binary to run (default: go build the repository into a temporary directory)")
	flag.IntVar(&o.stages, "stages", 1000, "stages in the generated file (testgen.Large)")
	flag.StringVar(&o.corpusFile, "corpus-file", "../shared/corpus/files/moby__buildkit__Dockerfile", "corpus Dockerfile, relative to the repository root (skipped when absent)")
	flag.IntVar(&o.reps, "reps", 30, "Stagehand: measured completion, definition and references requests")
	flag.IntVar(&o.diagReps, "diag-reps", 10, "Stagehand: measured didOpen and keystroke diagnostics")
	flag.IntVar(&o.semReps, "sem-reps", 10, "Stagehand: measured semantic tokens requests")
	flag.IntVar(&o.nodeReps, "node-reps", 5, "Node server: measured completion, definition and references requests")
	flag.IntVar(&o.nodeDiag, "node-diag-reps", 3, "Node server: measured didOpen and keystroke diagnostics")
	flag.IntVar(&o.cpuKeys, "cpu-keys", 500, "Stagehand: keystrokes whose server CPU is summed")
	flag.IntVar(&o.nodeCPU, "node-cpu-keys", 30, "Node server: keystrokes whose server CPU is summed, on files under 5,000 lines")
	flag.IntVar(&o.nodeCPUBig, "node-cpu-keys-large", 5, "Node server: the same on files of 5,000 lines or more")
	flag.IntVar(&o.cpuPaced, "cpu-paced-keys", 60, "Stagehand: keystrokes of the server CPU row typed 150 ms apart")
	flag.IntVar(&o.nodePaced, "node-cpu-paced-keys", 10, "Node server: the same, on files under 5,000 lines (node-cpu-keys-large on larger ones)")
	flag.BoolVar(&o.cpuOnly, "cpu-only", false, "measure only the server CPU per keystroke row (implies -write=false)")
	flag.IntVar(&o.nodeSem, "node-sem-reps", 3, "Node server: semantic tokens requests on files under 5,000 lines (1 on larger ones, without warm-up)")
	flag.DurationVar(&o.timeout, "timeout", 30*time.Second, "Stagehand: limit on each request or wait for diagnostics")
	flag.DurationVar(&o.nodeTimeout, "node-timeout", 60*time.Second, "Node server: limit on each request or wait for diagnostics")
	flag.DurationVar(&o.nodeSemTime, "node-sem-timeout", 60*time.Second, "Node server: limit on each semantic tokens request")
	flag.DurationVar(&o.budget, "budget", 10*time.Minute, "after this, remaining measurements are skipped")
	flag.BoolVar(&o.write, "write", true, "write tools/peerbench/RESULTS.md and README.md's results")
	flag.Parse()
	if o.cpuOnly {
		o.write = false
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	root, err := repoRoot()
	if err != nil {
		return err
	}
	benchDir := filepath.Join(root, "tools", "peerbench")
	nodeBin := filepath.Join(benchDir, "node_modules", ".bin", "docker-langserver")
	if _, err := os.Stat(nodeBin); err != nil {
		return fmt.Errorf("%s is missing: install the Node server first with `npm ci --prefix tools/peerbench`", nodeBin)
	}
	if _, err := exec.LookPath("node"); err != nil {
		return errors.New("node is not on PATH; the Node server needs it")
	}

	env := environment(root, benchDir)
	log("machine: %d CPUs, %s, load %s", env.nproc, env.cpu, env.loadStart)

	tmp, err := os.MkdirTemp("", "peerbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	stagehand := o.stagehand
	if stagehand == "" {
		stagehand = filepath.Join(tmp, "stagehand")
		log("building Stagehand (go build -o %s .)", stagehand)
		cmd := exec.CommandContext(ctx, "go", "build", "-o", stagehand, ".")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	if out, err := exec.Command(stagehand, "version").Output(); err == nil {
		// The first line: `stagehand version` goes on with commit and Go lines.
		first, _, _ := strings.Cut(string(out), "\n")
		env.stagehandVersion = strings.TrimSpace(first)
	}

	// Every server started is killed at the end, whatever happens.
	var (
		cmu   sync.Mutex
		conns []*conn
	)
	track := func(c *conn) { cmu.Lock(); conns = append(conns, c); cmu.Unlock() }
	defer func() {
		cmu.Lock()
		defer cmu.Unlock()
		for _, c := range conns {
			c.close()
		}
	}()

	type file struct{ name, text string }
	files := []file{{fmt.Sprintf("testgen.Large(%d)", o.stages), testgen.Large(o.stages)}}
	if b, err := os.ReadFile(filepath.Join(root, o.corpusFile)); err == nil {
		files = append(files, file{filepath.Base(o.corpusFile), string(b)})
	} else {
		log("skipping %s: %v", o.corpusFile, err)
	}

	start := time.Now()
	deadline := start.Add(o.budget)
	var rows []row
	for fi, f := range files {
		tg, err := findTargets(f.text)
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		lines := strings.Count(f.text, "\n")
		// Real files in a real directory: the servers may look at the build context.
		dir := filepath.Join(tmp, fmt.Sprintf("f%d", fi))
		var uris []string
		for i := 0; i <= max(o.diagReps, o.nodeDiag); i++ {
			d := filepath.Join(dir, "ctx", fmt.Sprintf("copy%d", i))
			if i == 0 {
				d = filepath.Join(dir, "ctx", "main")
			}
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			p := filepath.Join(d, "Dockerfile")
			if err := os.WriteFile(p, []byte(f.text), 0o644); err != nil {
				return err
			}
			uris = append(uris, fileURI(p))
		}

		results := map[string]map[string]*measurement{}
		for _, server := range []string{"Stagehand", "Node"} {
			p := plan{reps: o.reps, diagReps: o.diagReps, semReps: o.semReps, warmSem: true,
				timeout: o.timeout, semTime: o.timeout, deadline: deadline.Add(time.Hour),
				keyPause: 150 * time.Millisecond, dir: root, cpuKeys: o.cpuKeys, cpuOnly: o.cpuOnly, cpuPaced: o.cpuPaced,
				serverArg: []string{stagehand, "serve"}}
			if server == "Node" {
				p = plan{reps: o.nodeReps, diagReps: o.nodeDiag, semReps: o.nodeSem, warmSem: true,
					timeout: o.nodeTimeout, semTime: o.nodeSemTime, deadline: deadline,
					keyPause: 150 * time.Millisecond, dir: benchDir, cpuKeys: o.nodeCPU, cpuOnly: o.cpuOnly, cpuPaced: o.nodePaced,
					serverArg: []string{nodeBin, "--stdio"}}
				if lines >= 5000 {
					p.semReps, p.warmSem, p.cpuKeys, p.cpuPaced = 1, false, o.nodeCPUBig, o.nodeCPUBig
				}
			}
			log("%s: %s (%d lines)", f.name, server, lines)
			s := &session{ctx: ctx, name: server, p: p, uri: uris[0], text: f.text, tg: tg, track: track}
			res, err := s.run(uris[1:])
			if s.c != nil {
				s.c.close()
			}
			if err != nil {
				return err
			}
			if server == "Stagehand" && s.info != "" && env.stagehandVersion == "" {
				env.stagehandVersion = s.info
			}
			results[server] = res
			for _, k := range kindOrder {
				if m := res[k]; m != nil {
					med, ok := m.median()
					ms := "-"
					if ok {
						ms = fmtDur(med)
					} else if m.timedOut > 0 {
						ms = ">" + fmtDur(m.timedOut)
					}
					log("  %-40s %10s  %s %s", k, ms, m.returned, m.note)
				}
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
		for _, k := range kindOrder {
			if o.cpuOnly && k != kCPU && k != kCPUPaced {
				continue
			}
			rows = append(rows, row{file: fmt.Sprintf("%s (%d lines)", f.name, lines), kind: k,
				sh: results["Stagehand"][k], node: results["Node"][k]})
		}
	}
	env.loadEnd = loadavg()
	env.elapsed = time.Since(start)

	report := render(env, rows)
	fmt.Println(report)
	if o.write {
		if err := os.WriteFile(filepath.Join(benchDir, "RESULTS.md"), []byte(report), 0o644); err != nil {
			return err
		}
		if err := updateReadme(filepath.Join(benchDir, "README.md"), report); err != nil {
			return err
		}
		log("wrote tools/peerbench/RESULTS.md and README.md")
	}
	return nil
}

// repoRoot finds the main module's directory from the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(b, []byte("module github.com/stagehand-ls/stagehand\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run from inside the Stagehand repository (go run ./tools/peerbench)")
		}
		dir = parent
	}
}

func fileURI(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

func uriPath(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return filepath.FromSlash(p.Path)
}

// env describes the run.
type env struct {
	date             string
	nproc            int
	cpu              string
	kernel           string
	loadStart        string
	loadEnd          string
	goVersion        string
	nodeVersion      string
	nodeServer       string
	stagehandVersion string
	commit           string
	elapsed          time.Duration
}

func environment(root, benchDir string) *env {
	e := &env{
		date:      time.Now().UTC().Format("2006-01-02 15:04 MST"),
		nproc:     runtime.NumCPU(),
		cpu:       cpuModel(),
		loadStart: loadavg(),
		goVersion: runtime.Version(),
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		e.kernel = "Linux " + strings.TrimSpace(string(b))
	}
	if out, err := exec.Command("node", "--version").Output(); err == nil {
		e.nodeVersion = strings.TrimSpace(string(out))
	}
	var pkg struct{ Version string }
	if b, err := os.ReadFile(filepath.Join(benchDir, "node_modules", nodePackage, "package.json")); err == nil {
		_ = json.Unmarshal(b, &pkg)
	}
	e.nodeServer = nodePackage + " " + pkg.Version
	cmd := exec.Command("git", "describe", "--always", "--dirty")
	cmd.Dir = root
	if out, err := cmd.Output(); err == nil {
		e.commit = strings.TrimSpace(string(out))
	}
	return e
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// loadavg is the 1, 5 and 15 minute load average.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
