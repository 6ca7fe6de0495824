// Package check implements `stagehand check`: it reports the diagnostics of
// Dockerfiles on disk, for people and for CI.
package check

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
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
	format := fl.String("format", "text", "output `format`: text, json or sarif (SARIF 2.1.0, for GitHub code scanning)")
	strict := fl.Bool("strict", false, "fail on warnings too")
	targets := fl.String("targets", "", "comma-separated `stages` built besides the last one (for UnusedStage)")
	fixes := fixFlags(fl)
	var severities severityFlag
	fl.Var(&severities, "rule", "set a rule's severity, as `Rule=level` (off, hint, information, warning, error); repeatable")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: stagehand check [--format text|json|sarif] [--strict] [--targets a,b] [--rule Rule=level]... [--fix [--diff]] PATH...")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	if *format != "text" && *format != "json" && *format != "sarif" {
		fmt.Fprintf(stderr, "stagehand check: unknown format %q\n", *format)
		return ExitUsage
	}
	if fl.NArg() == 0 {
		fl.Usage()
		return ExitUsage
	}

	code := ExitOK
	files, err := Files(fl.Args())
	if err != nil {
		fmt.Fprintf(stderr, "stagehand check: %v\n", err)
		code = ExitUsage
	}
	var all []Finding
	for _, path := range files {
		text, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "stagehand check: %v\n", err)
			code = ExitUsage
			continue
		}
		cfg := &rules.Config{Severity: severities.m}
		for _, t := range strings.Split(*targets, ",") {
			if t = strings.TrimSpace(t); t != "" {
				cfg.Targets = append(cfg.Targets, t)
			}
		}
		if m, err := rules.LoadIgnore(filepath.Dir(path), filepath.Base(path)); err != nil {
			fmt.Fprintf(stderr, "stagehand check: %v\n", err)
		} else {
			cfg.Ignore = m
		}
		cfg.Context = analysis.BuildContext{FS: os.DirFS(filepath.Dir(path)), Ignore: cfg.Ignore}
		text = fixes.run(path, text, cfg, stdout, stderr)
		all = append(all, FileWithConfig(path, string(text), cfg)...)
	}

	switch *format {
	case "sarif":
		if err := writeSARIF(stdout, all); err != nil {
			fmt.Fprintf(stderr, "stagehand check: %v\n", err)
			return ExitUsage
		}
	case "json":
		if all == nil {
			all = []Finding{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(all); err != nil {
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

// File returns the findings in text, the content of path, under the
// default configuration.
func File(path, text string) []Finding { return FileWithConfig(path, text, nil) }

// FileWithConfig returns the findings in text, the content of path.
func FileWithConfig(path, text string, cfg *rules.Config) []Finding {
	doc := analysis.NewDocument(text)
	ix := analysis.Parse(doc)
	var out []Finding
	for _, d := range rules.Run(ix, cfg) {
		start := doc.Position(d.Span.Start, analysis.UTF32)
		end := doc.Position(d.Span.End, analysis.UTF32)
		out = append(out, Finding{
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
		})
	}
	return out
}

// skipDirs are directories Files does not descend into.
var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true}

// IsDockerfile reports whether a file name is one Files picks up in a
// directory: Dockerfile, Containerfile, *.Dockerfile or Dockerfile.*.
func IsDockerfile(name string) bool {
	return name == "Dockerfile" || name == "Containerfile" ||
		strings.HasSuffix(name, ".Dockerfile") || strings.HasPrefix(name, "Dockerfile.")
}

// Files expands paths: a file is taken as is, a directory is walked for
// Dockerfiles. It returns the files it found and the errors it met.
func Files(paths []string) ([]string, error) {
	var files []string
	var errs []error
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, err)
				return nil
			}
			if d.IsDir() {
				if path != p && skipDirs[d.Name()] {
					return filepath.SkipDir
				}
				return nil
			}
			if IsDockerfile(d.Name()) && d.Type().IsRegular() {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	return files, errors.Join(errs...)
}

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
