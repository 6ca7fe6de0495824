package check

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
	"github.com/stagehand-ls/stagehand/internal/confined"
)

// Project is the repository `stagehand check` runs in, found the way the
// server finds it: its root, settings file, Dockerfiles and the targets
// other files name. A nil *Project is no project (--no-workspace).
type Project struct {
	Root   string
	Errors []error // in the settings file
	ws     *workspace.Project
	ix     *workspace.Index
	file   workspace.Layer
	// cwd is the working folder, read once: filepath.Abs reads it (two
	// stat calls) each time, three times per file checked.
	cwd string
}

// OpenProject opens the project at root, or when root is "", the one
// holding path: the nearest folder above it with .git.
func OpenProject(root, path string) *Project {
	if root == "" {
		root = workspace.FindRoot(path)
	}
	if abs, err := filepath.Abs(root); err == nil {
		root = abs
	}
	p := &Project{Root: root, ws: workspace.LoadProject([]string{root})}
	p.cwd, _ = os.Getwd()
	p.Errors = p.ws.Problems()
	p.file, _ = p.ws.Settings(root).Layer(workspace.SettingsFile)
	p.ix = p.ws.Scan(workspace.DefaultLimits)
	return p
}

// layer is the settings file's layer of the configuration.
func (p *Project) layer() workspace.Layer {
	if p == nil {
		return workspace.Layer{}
	}
	return p.file
}

// describe tells what the scan found, for --verbose.
func (p *Project) describe(w io.Writer) {
	fmt.Fprintf(w, "stagehand check: project root %s: %d Dockerfiles, %d targets named in other files", p.Root, len(p.ix.Dockerfiles)+len(p.ix.NamedDockerfiles()), p.ix.TargetCount())
	if p.ix.Truncated {
		fmt.Fprint(w, " (the scan stopped at its limits)")
	}
	fmt.Fprintln(w)
}

// builds returns the targets the project names in the Dockerfile at path.
func (p *Project) builds(path string) []workspace.Target {
	if p == nil {
		return nil
	}
	abs, err := p.abs(path)
	if err != nil {
		return nil
	}
	return p.ix.TargetsFor(abs)
}

// Targets returns the stages built from the Dockerfile at path besides its
// last one, as `stagehand check` counts them for UnusedStage: the settings
// file's targets and those the project's files name.
func (p *Project) Targets(path string) []string {
	out := append([]string(nil), p.layer().Targets...)
	for _, t := range p.builds(path) {
		if t.Name != "" {
			out = append(out, t.Name)
		}
	}
	return out
}

// NamedContexts returns the named build contexts the project's Compose
// services, Bake targets and scripts give the Dockerfile at path, as one
// list for all its builds (workspace.RuleContexts: a context only some
// builds give does not replace a stage another builds); parse gives the
// Dockerfile's index, asked for only when some build gives a context.
func (p *Project) NamedContexts(path string, parse func() *analysis.Index) []analysis.NamedContext {
	if p == nil {
		return nil
	}
	abs, err := p.abs(path)
	if err != nil {
		return nil
	}
	if len(p.ix.ContextsFor(abs)) == 0 {
		return nil // the common case: no build gives one
	}
	return workspace.RuleContexts(parse(), p.ix.BuildsFor(abs))
}

// Builds returns the project's builds of the Dockerfile at path, each
// with the stages it names and the contexts it gives (the server's
// buildSpecs); nil when no build gives a named context.
func (p *Project) Builds(path string) []analysis.BuildSpec {
	if p == nil {
		return nil
	}
	abs, err := p.abs(path)
	if err != nil || len(p.ix.ContextsFor(abs)) == 0 {
		return nil
	}
	return workspace.Specs(p.ix.BuildsFor(abs))
}

// contextFor returns the build context folder of the Dockerfile at path:
// the one the project's Compose services or Bake targets name for it when
// there is exactly one, else its folder.
func (p *Project) contextFor(path string) string {
	if p == nil {
		return filepath.Dir(path)
	}
	abs, err := p.abs(path)
	if err != nil {
		return filepath.Dir(path)
	}
	return p.ix.ContextFor(abs)
}

// abs is filepath.Abs(path), with the working folder read once.
func (p *Project) abs(path string) (string, error) {
	if filepath.IsAbs(path) {
		return filepath.Clean(path), nil
	}
	if p.cwd == "" {
		return filepath.Abs(path)
	}
	return filepath.Join(p.cwd, path), nil
}

// Site is a place that builds a stage as a target, for people: the file
// (relative to the project root), its line (1-based), the stage and what
// names it.
type Site struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Stage  string `json:"stage"`
	Source string `json:"source"`
}

func (p *Project) sites(ts []workspace.Target) []Site {
	out := make([]Site, 0, len(ts))
	for _, t := range ts {
		out = append(out, Site{File: t.RelFile([]string{p.Root}), Line: t.Line, Stage: t.Name, Source: t.Kind.String() + " " + t.Owner})
	}
	return out
}

// files expands paths: a file is taken as is, a directory gives the
// Dockerfiles under it by the workspace's rule, leaving out what the
// settings file ignores.
func (p *Project) files(paths []string) ([]string, error) {
	dockerfiles, others, err := p.split(paths)
	return append(dockerfiles, others...), err
}

// split expands paths into the Dockerfiles to check and, in a project, the
// files naming targets to check: those under a directory given, and those
// given by name (a Compose file, a Makefile, ...).
func (p *Project) split(paths []string) (dockerfiles, targetFiles []string, _ error) {
	var errs []error
	for _, path := range paths {
		info, err := os.Stat(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if info.IsDir() {
			dockerfiles = append(dockerfiles, p.dockerfiles(path)...)
			targetFiles = append(targetFiles, p.targetFiles(path)...)
			continue
		}
		if p != nil && !workspace.IsDockerfile(path) && (workspace.Classify(path) != workspace.NotTargets || p.namesTargets(path)) {
			targetFiles = append(targetFiles, path)
			continue
		}
		dockerfiles = append(dockerfiles, path)
	}
	return dockerfiles, targetFiles, errors.Join(errs...)
}

// targetFiles lists the files under dir that name targets, spelt from dir.
func (p *Project) targetFiles(dir string) []string {
	if p == nil {
		return nil
	}
	abs, err := p.abs(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, f := range p.ix.TargetFiles() {
		if r, err := filepath.Rel(abs, f); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			out = append(out, filepath.Join(dir, r))
		}
	}
	return out
}

// namesTargets reports whether the file at path names targets read through
// another file of the project (an included Compose file, a Bake file a
// command names with -f).
func (p *Project) namesTargets(path string) bool {
	abs, err := p.abs(path)
	return err == nil && slices.Contains(p.ix.TargetFiles(), abs)
}

// checkUses reports what the file at path asks of its Dockerfiles (targets
// that name no stage, build arguments no ARG takes), as the server reports
// it in the editor.
func (p *Project) checkUses(path string, cfg *rules.Config) *fileResult {
	r := &fileResult{}
	text, err := confined.ReadPath(path, confined.Limit)
	if err != nil {
		fmt.Fprintf(&r.stderr, "stagehand check: %v\n", err)
		r.failed = true
		return r
	}
	abs, err := p.abs(path)
	if err != nil {
		return r
	}
	ix := p.ix
	if !ix.Has(abs) {
		ix = ix.Update(abs, string(text)) // named on the command line, outside the scan
	}
	doc := analysis.NewDocument(string(text))
	// The Dockerfiles are read inside the project, as the server reads
	// them inside the workspace: a `context: /etc` reads nothing.
	load := func(df string) (*analysis.Index, bool) {
		data, err := confined.ReadFile(p.Root, df, confined.Limit)
		if err != nil {
			return nil, false
		}
		return analysis.Parse(analysis.NewDocument(string(data))), true
	}
	for _, d := range ix.Check(abs, string(text), load, func(string) *rules.Config { return cfg }) {
		r.findings = append(r.findings, finding(path, doc, d))
	}
	return r
}

// dockerfiles lists the Dockerfiles under dir, spelt from dir: from the
// project's scan when it covers dir, else by walking dir.
func (p *Project) dockerfiles(dir string) []string {
	if p == nil {
		return workspace.Dockerfiles(dir, nil)
	}
	abs, err := p.abs(dir)
	if err != nil || p.ix.Truncated {
		return workspace.Dockerfiles(dir, p.ws.Ignored)
	}
	rel, err := filepath.Rel(p.Root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return workspace.Dockerfiles(dir, p.ws.Ignored)
	}
	var out []string
	for _, df := range slices.Concat(p.ix.Dockerfiles, p.ix.NamedDockerfiles()) {
		if p.ws.Ignored(df, false) && !slices.Contains(p.ix.Dockerfiles, df) {
			continue
		}
		if r, err := filepath.Rel(abs, df); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			out = append(out, filepath.Join(dir, r))
		}
	}
	return out
}

// parallel runs fn over items on every core and returns the results in
// the items' order.
func parallel[T, R any](items []T, fn func(T) R) []R {
	out := make([]R, len(items))
	workers := min(runtime.GOMAXPROCS(0), len(items))
	var next sync.Mutex
	i := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				next.Lock()
				j := i
				i++
				next.Unlock()
				if j >= len(items) {
					return
				}
				out[j] = fn(items[j])
			}
		}()
	}
	wg.Wait()
	return out
}
