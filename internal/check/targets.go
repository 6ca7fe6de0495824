package check

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/confined"
)

// FileTargets is one file's build targets, as `--list-targets` prints them.
type FileTargets struct {
	Path    string         `json:"path"`
	Targets []TargetOutput `json:"targets"`
}

// TargetOutput is one target: a named stage, or the unnamed last stage.
type TargetOutput struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Default     bool   `json:"default,omitempty"`
	Base        string `json:"base"`
	Line        int    `json:"line"`
}

// Targets lists the build targets of a Dockerfile's text, the way
// `docker build --call=targets` does: the named stages with their
// descriptions (the outline's rule) and the default (last) stage marked.
func Targets(path, text string) FileTargets {
	ix := analysis.Parse(analysis.NewDocument(text))
	out := FileTargets{Path: path, Targets: []TargetOutput{}}
	for _, t := range ix.Outline() {
		if t.Name == "" && !t.Default {
			continue // cannot be built by name
		}
		name := t.Name
		if name == "" {
			name = ix.StageLabel(t.Stage)
		}
		out.Targets = append(out.Targets, TargetOutput{
			Name: name, Description: t.Description, Default: t.Default, Base: t.Base,
			Line: ix.Doc.LineOf(ix.Stage(t.Stage).Span.Start) + 1,
		})
	}
	return out
}

// listTargets prints the targets of files, as text or JSON.
func listTargets(files []string, format string, stdout, stderr io.Writer) int {
	code := ExitOK
	var all []FileTargets
	for _, path := range files {
		text, err := confined.ReadPath(path, confined.Limit)
		if err != nil {
			fmt.Fprintf(stderr, "stagehand check: %v\n", err)
			code = ExitUsage
			continue
		}
		all = append(all, Targets(path, string(text)))
	}
	if format == "json" {
		if all == nil {
			all = []FileTargets{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(all); err != nil {
			fmt.Fprintf(stderr, "stagehand check: %v\n", err)
			return ExitUsage
		}
		return code
	}
	for i, f := range all {
		if len(all) > 1 {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			fmt.Fprintf(stdout, "%s:\n", f.Path)
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "TARGET\tDESCRIPTION")
		for _, t := range f.Targets {
			name := t.Name
			if t.Default {
				name += " (default)"
			}
			fmt.Fprintf(w, "%s\t%s\n", name, t.Description)
		}
		w.Flush()
	}
	return code
}
