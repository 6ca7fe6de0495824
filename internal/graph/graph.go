// Package graph is the `stagehand graph` command: a Dockerfile's stages and
// the edges between them, as Mermaid, Graphviz or JSON.
package graph

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/features"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
	"github.com/stagehand-ls/stagehand/internal/check"
	"github.com/stagehand-ls/stagehand/internal/confined"
)

// targetList collects repeated --target flags.
type targetList []string

func (t *targetList) String() string     { return strings.Join(*t, ",") }
func (t *targetList) Set(v string) error { *t = append(*t, v); return nil }

// Main runs the command and returns its exit code: 0, or 2 on usage and
// I/O errors and on files BuildKit cannot parse.
func Main(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("stagehand graph", flag.ContinueOnError)
	fl.SetOutput(stderr)
	format := fl.String("format", "mermaid", "output `format`: mermaid, dot or json")
	var targets targetList
	fl.Var(&targets, "target", "a build `target` besides the last stage (repeatable)")
	root := fl.String("root", "", "the project `root` whose Compose, Bake files, workflows and scripts give build targets and named build contexts (default: the nearest folder above the Dockerfile with .git)")
	noWorkspace := fl.Bool("no-workspace", false, "the Dockerfile alone: no scan of the project for build targets and named build contexts")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: stagehand graph [--format mermaid|dot|json] [--target T]... [--root DIR] [--no-workspace] DOCKERFILE|FOLDER")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() != 1 {
		fl.Usage()
		return 2
	}
	path, err := dockerfileIn(fl.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "stagehand graph: %v\n", err)
		return 2
	}
	data, err := confined.ReadPath(path, confined.Limit)
	if err != nil {
		fmt.Fprintf(stderr, "stagehand graph: %v\n", err)
		return 2
	}
	ix := analysis.Parse(analysis.NewDocument(string(data)))
	if ix.ParseError != nil {
		p := ix.Doc.Position(ix.ParseError.Span.Start, analysis.UTF32)
		fmt.Fprintf(stderr, "stagehand graph: %s:%d:%d: %s\n", path, p.Line+1, p.Col+1, ix.ParseError.Message)
		return 2
	}
	for _, t := range targets {
		if ix.StageByName(t) < 0 {
			fmt.Fprintf(stderr, "stagehand graph: %s has no stage named %q\n", path, t)
			return 2
		}
	}
	// The named contexts the project gives and the targets it builds, as
	// the editor's graph and `stagehand check` read them.
	var contexts []analysis.NamedContext
	if !*noWorkspace {
		proj := check.OpenProject(*root, path)
		contexts = proj.NamedContexts(path, func() *analysis.Index { return ix })
		targets = append(targets, proj.Targets(path)...)
	}
	g, _ := features.StageGraph(context.Background(), ix, targets, contexts) // never cancelled
	switch *format {
	case "mermaid":
		m, _ := g.Mermaid(context.Background())
		fmt.Fprint(stdout, m)
	case "dot":
		fmt.Fprint(stdout, g.Dot())
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(g); err != nil {
			fmt.Fprintf(stderr, "stagehand graph: %v\n", err)
			return 2
		}
	default:
		fmt.Fprintf(stderr, "stagehand graph: unknown format %q (mermaid, dot or json)\n", *format)
		return 2
	}
	return 0
}

// dockerfileIn returns path, or for a folder the Dockerfile that
// `docker build` reads there by default; a folder without one is an error
// naming the Dockerfiles under it.
func dockerfileIn(path string) (string, error) {
	info, err := os.Stat(path)
	if err != nil || !info.IsDir() {
		return path, nil // the read reports it
	}
	for _, name := range []string{"Dockerfile", "dockerfile"} {
		if f, err := os.Stat(filepath.Join(path, name)); err == nil && f.Mode().IsRegular() {
			return filepath.Join(path, name), nil
		}
	}
	found := workspace.Dockerfiles(path, nil)
	if len(found) == 0 {
		return "", fmt.Errorf("%s is a folder with no Dockerfile in it", path)
	}
	if len(found) > 5 {
		found = append(found[:5], "...")
	}
	return "", fmt.Errorf("%s is a folder with no file named Dockerfile: name the Dockerfile to graph (%s)", path, strings.Join(found, ", "))
}
