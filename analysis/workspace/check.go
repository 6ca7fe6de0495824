package workspace

import (
	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
)

// Loader gives the index of the Dockerfile at a path: the editor's buffer
// or the file on disk. ok is false for one it cannot read.
type Loader func(dockerfile string) (ix *analysis.Index, ok bool)

// Check returns the diagnostics of file p, which names targets or passes
// build arguments (content is its text): the rules that judge uses
// (UnknownTarget, UndeclaredBuildArg) run on each Dockerfile the file
// names, under the configuration config gives for that Dockerfile and its
// own `# check=` directive. Spans are in p. The `stagehand check` command
// and the server both report these.
func (ix *Index) Check(p, content string, load Loader, config func(dockerfile string) *rules.Config) []rules.Diagnostic {
	judge := func(df string, u rules.Use) []rules.Diagnostic {
		dix, ok := load(df)
		if !ok {
			return nil
		}
		u.Dockerfile = df
		return rules.RunUses(dix, config(df), []rules.Use{u})
	}
	var out []rules.Diagnostic
	for _, t := range ix.TargetsIn(p) {
		if t.Name == "" {
			continue // being typed
		}
		dfs := []string{t.Dockerfile}
		if t.Bake != nil {
			dfs = ix.bakeDockerfiles(t.Bake)
		}
		// A --set over several Bake targets is reported once, for the
		// first Dockerfile that lacks the stage.
		for _, df := range dfs {
			if ds := judge(df, rules.Use{Kind: rules.UseTarget, Name: t.Name, Span: t.Span}); len(ds) > 0 {
				out = append(out, ds...)
				break
			}
		}
	}
	for _, a := range ix.BuildArgs(p, content) {
		out = append(out, judge(a.Dockerfile, rules.Use{Kind: rules.UseArg, Name: a.Name, Span: a.Span})...)
	}
	return out
}
