package check

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/stagehand-ls/stagehand/analysis/workspace"
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
	p.Errors = append(p.Errors, p.ws.Errors...)
	var errs []error
	p.file, errs = p.ws.Settings(root).Layer(workspace.SettingsFile)
	p.Errors = append(p.Errors, errs...)
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
	fmt.Fprintf(w, "stagehand check: project root %s: %d Dockerfiles, %d targets named in other files", p.Root, len(p.ix.Dockerfiles), p.ix.TargetCount())
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
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil
	}
	return p.ix.TargetsFor(abs)
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
	var files []string
	var errs []error
	for _, path := range paths {
		info, err := os.Stat(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !info.IsDir() {
			files = append(files, path)
			continue
		}
		files = append(files, p.dockerfiles(path)...)
	}
	return files, errors.Join(errs...)
}

// dockerfiles lists the Dockerfiles under dir, spelt from dir: from the
// project's scan when it covers dir, else by walking dir.
func (p *Project) dockerfiles(dir string) []string {
	if p == nil {
		return workspace.Dockerfiles(dir, nil)
	}
	abs, err := filepath.Abs(dir)
	if err != nil || p.ix.Truncated {
		return workspace.Dockerfiles(dir, p.ws.Ignored)
	}
	rel, err := filepath.Rel(p.Root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return workspace.Dockerfiles(dir, p.ws.Ignored)
	}
	var out []string
	for _, df := range p.ix.Dockerfiles {
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
