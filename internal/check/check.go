// Package check implements `stagehand check`: it reports the diagnostics of
// Dockerfiles on disk, for people and for CI.
package check

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
	"github.com/stagehand-ls/stagehand/internal/confined"
)

// Exit codes of Main.
const (
	ExitOK       = 0 // nothing at the failing level
	ExitFindings = 1 // an error (with -strict, a warning) was found
	ExitUsage    = 2 // bad arguments or unreadable files
)

// Finding is one diagnostic in a file. Lines and columns are 1-based;
// columns count characters.
type Finding struct {
	Path      string `json:"path"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	Severity  string `json:"severity"`
	Rule      string `json:"rule"`
	Message   string `json:"message"`

	URL string `json:"url,omitempty"`
	// OtherTargets lists, for UnusedStage, the places in the project that
	// build other stages of the file as targets: none of them reaches the
	// stage reported.
	OtherTargets []Site `json:"otherTargets,omitempty"`

	level rules.Severity
	diag  rules.Diagnostic
	doc   *analysis.Document
}

func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", f.Path, f.Line, f.Column, f.Severity, f.Message, f.Rule)
}

// Main runs `stagehand check` with args (those after "check") and returns
// the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("stagehand check", flag.ContinueOnError)
	fl.SetOutput(stderr)
	format := fl.String("format", "text", "output `format`: text, json, sarif (SARIF 2.1.0, for GitHub code scanning) or github (GitHub Actions annotations: ::error file=...,line=...::message, notice for information and hints); lines and columns count from 1, columns in characters (sarif: UTF-16 code units, as its columnKind says)")
	strict := fl.Bool("strict", false, "fail on warnings too")
	targets := fl.String("targets", "", "comma-separated `stages` built besides the last one (for UnusedStage)")
	root := fl.String("root", "", "the project's root `folder` (default: the nearest folder above the first PATH holding .git)")
	noWorkspace := fl.Bool("no-workspace", false, "check each file alone: no scan of the project for targets, no "+workspace.SettingsFile)
	verbose := fl.Bool("verbose", false, "say where each setting came from and what the project scan found, on stderr")
	fixes := fixFlags(fl)
	listOnly := fl.Bool("list-targets", false, "list each file's build targets with their descriptions (like docker build --call=targets) instead of checking")
	var severities severityFlag
	fl.Var(&severities, "rule", "set a rule's severity, as `Rule=level` (off, hint, information, warning, error); repeatable")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: stagehand check [--format text|json|sarif|github] [--strict] [--targets a,b] [--rule Rule=level]... [--root DIR] [--no-workspace] [--verbose] [--fix [--diff]] [--list-targets] PATH...")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	if *format != "text" && *format != "json" && *format != "sarif" && *format != "github" {
		fmt.Fprintf(stderr, "stagehand check: unknown format %q\n", *format)
		return ExitUsage
	}
	if fl.NArg() == 0 {
		fl.Usage()
		return ExitUsage
	}
	defer collectLess()()
	// Findings are printed one line at a time: buffered, not a write
	// call each. What goes to stderr flushes stdout first, so the two
	// keep their order where they share a file.
	out := bufio.NewWriterSize(stdout, 64<<10)
	defer out.Flush()
	stdout, stderr = out, flushFirst{stderr, out}

	flags := workspace.Layer{Source: "--rule", Severity: severities.m}
	targetFlags := workspace.Layer{Source: "--targets"}
	for _, t := range strings.Split(*targets, ",") {
		if t = strings.TrimSpace(t); t != "" {
			targetFlags.Targets = append(targetFlags.Targets, t)
		}
	}
	var proj *Project
	if !*noWorkspace {
		proj = OpenProject(*root, fl.Arg(0))
		for _, err := range proj.Errors {
			fmt.Fprintf(stderr, "stagehand check: %v\n", err)
		}
		if *verbose {
			proj.describe(stderr)
		}
	}
	cfg, origins := workspace.Merge(proj.layer(), flags, targetFlags)
	if *verbose {
		for _, o := range origins {
			fmt.Fprintf(stderr, "stagehand check: %s\n", o)
		}
	}

	code := ExitOK
	files, targetFiles, err := proj.split(fl.Args())
	if err != nil {
		fmt.Fprintf(stderr, "stagehand check: %v\n", err)
		code = ExitUsage
	}
	if *listOnly {
		if code != ExitOK {
			return code
		}
		return listTargets(files, *format, stdout, stderr)
	}
	var ctxs contexts
	results := parallel(files, func(path string) *fileResult {
		return checkFile(path, cfg, proj, fixes, &ctxs)
	})
	results = append(results, parallel(targetFiles, func(path string) *fileResult {
		return proj.checkUses(path, cfg)
	})...)
	var all []Finding
	for _, r := range results {
		stdout.Write(r.stdout.Bytes())
		stderr.Write(r.stderr.Bytes())
		if r.failed {
			code = ExitUsage
		}
		all = append(all, r.findings...)
	}

	switch *format {
	case "sarif":
		if err := writeSARIF(stdout, all); err != nil {
			fmt.Fprintf(stderr, "stagehand check: %v\n", err)
			return ExitUsage
		}
	case "json":
		if err := writeJSON(stdout, all); err != nil {
			fmt.Fprintf(stderr, "stagehand check: %v\n", err)
			return ExitUsage
		}
	case "github":
		if err := writeGitHub(stdout, all); err != nil {
			fmt.Fprintf(stderr, "stagehand check: %v\n", err)
			return ExitUsage
		}
	default:
		if fixes.quiet() {
			break
		}
		for _, f := range all {
			fmt.Fprintln(stdout, f)
		}
	}
	if code != ExitOK {
		return code
	}
	for _, f := range all {
		if f.level == rules.Error || (*strict && f.level == rules.Warning) {
			return ExitFindings
		}
	}
	return ExitOK
}

// flushFirst writes to w after flushing b.
type flushFirst struct {
	w io.Writer
	b *bufio.Writer
}

func (f flushFirst) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	f.b.Flush()
	return f.w.Write(p)
}

// checkGCPercent is the garbage collector's target while files are
// checked. Each file's index and rules run are garbage soon after, and
// what stays (the findings) is small: at Go's default of 100 the collector
// ran so often on this small heap that it took about a quarter of the
// instructions of a check over the corpus; at 400, about 7%, for a peak
// heap a few times larger (tens of megabytes).
const checkGCPercent = 400

// collectLess sets the collector's target to checkGCPercent, unless the
// environment sets GOGC, and returns what restores it.
func collectLess() func() {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	old := debug.SetGCPercent(checkGCPercent)
	return func() { debug.SetGCPercent(old) }
}

// fileResult is what checking one file gave: its findings and what it
// printed, kept apart so that files checked in parallel print in order.
type fileResult struct {
	findings       []Finding
	stdout, stderr bytes.Buffer
	failed         bool // the file could not be read
}

// checkFile checks the file at path under base, with the stages the
// project builds from it as targets and the .dockerignore beside it, read
// through ctxs.
func checkFile(path string, base *rules.Config, proj *Project, fixes *fixer, ctxs *contexts) *fileResult {
	r := &fileResult{}
	text, err := confined.ReadPath(path, confined.Limit)
	if err != nil {
		fmt.Fprintf(&r.stderr, "stagehand check: %v\n", err)
		r.failed = true
		return r
	}
	cfg := *base
	built := proj.builds(path)
	for _, t := range built {
		if t.Name != "" {
			cfg.Targets = append(cfg.Targets[:len(cfg.Targets):len(cfg.Targets)], t.Name)
		}
	}
	cfg.Contexts = proj.NamedContexts(path, func() *analysis.Index { return analysis.Parse(analysis.NewDocument(string(text))) })
	cfg.Builds = proj.Builds(path)
	bc, err := ctxs.load(path, proj.contextFor(path))
	if err != nil {
		fmt.Fprintf(&r.stderr, "stagehand check: %v\n", err)
	}
	cfg.Context, cfg.Ignore = bc, bc.Ignore
	text, done, err := fixes.run(path, text, &cfg, &r.stdout, &r.stderr)
	if err != nil {
		fmt.Fprintf(&r.stderr, "stagehand check: %v\n", err)
		r.failed = true
	}
	if done != nil {
		// --fix parsed and checked this text last: each file is parsed
		// and checked once more only where fixes changed it.
		for _, d := range done.diags {
			r.findings = append(r.findings, finding(path, done.doc, d))
		}
	} else {
		r.findings = FileWithConfig(path, string(text), &cfg)
	}
	for i := range r.findings {
		if r.findings[i].Rule == "UnusedStage" {
			r.findings[i].OtherTargets = proj.sites(built)
		}
	}
	return r
}

// FileWithConfig returns the findings in text, the content of path.
func FileWithConfig(path, text string, cfg *rules.Config) []Finding {
	doc := analysis.NewDocument(text)
	ix := analysis.Parse(doc)
	var out []Finding
	for _, d := range rules.Run(ix, cfg) {
		out = append(out, finding(path, doc, d))
	}
	return out
}

// finding places d, found in doc, the text of path.
func finding(path string, doc *analysis.Document, d rules.Diagnostic) Finding {
	start := position(doc, d.Span.Start, analysis.UTF32)
	end := position(doc, d.Span.End, analysis.UTF32)
	return Finding{
		Path:      path,
		Line:      start.Line + 1,
		Column:    start.Col + 1,
		EndLine:   end.Line + 1,
		EndColumn: end.Col + 1,
		Severity:  d.Severity.String(),
		Rule:      d.Rule,
		Message:   d.Message,
		URL:       d.URL(),
		level:     d.Severity,
		diag:      d,
		doc:       doc,
	}
}

// Files expands paths: a file is taken as is, a directory is searched for
// Dockerfiles by the workspace's rule. It returns the files it found and
// the errors it met.
func Files(paths []string) ([]string, error) { return (*Project)(nil).files(paths) }

// severityFlag collects --rule Rule=level settings.
type severityFlag struct{ m map[string]rules.Severity }

func (f *severityFlag) String() string { return "" }

func (f *severityFlag) Set(v string) error {
	name, level, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("want Rule=level, got %q", v)
	}
	if rules.Lookup(name) == nil {
		return fmt.Errorf("unknown rule %q", name)
	}
	sev, err := rules.ParseSeverity(level)
	if err != nil {
		return err
	}
	if f.m == nil {
		f.m = map[string]rules.Severity{}
	}
	f.m[name] = sev
	return nil
}

// position converts off to a position for people and tools reading the
// file, where a byte order mark opens the file but is no column of its
// first line.
func position(doc *analysis.Document, off int, enc analysis.Encoding) analysis.Position {
	p := doc.Position(off, enc)
	if p.Line == 0 && p.Col > 0 && doc.Slice(analysis.Span{Start: 0, End: min(3, doc.Len())}) == "\ufeff" {
		p.Col--
	}
	return p
}
