package rules

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	digest "github.com/opencontainers/go-digest"

	"github.com/stagehand-ls/stagehand/analysis"
)

var SourceDateEpochStage = register(&Rule{
	Name:     "SourceDateEpochStage",
	Summary:  "The stage a global `ARG SOURCE_DATE_EPOCH` names must be FROM scratch with one remote ADD.",
	Severity: Error,
	Fails:    true,
	Doc: `A global ` + "`ARG SOURCE_DATE_EPOCH=<value>`" + ` whose value is neither a number nor
` + "`context`" + ` names a stage (or a named build context): BuildKit takes the build's
time from that stage's one source, the last-modified time of an HTTP(S) file or
the commit time of a Git repository. It never builds the stage; it reads it, and
fails the build unless the stage is source-only:

- ` + "`FROM scratch`" + ` ("SOURCE_DATE_EPOCH stage must use FROM scratch");
- then only ` + "`ARG`" + ` and exactly one ` + "`ADD`" + ` ("SOURCE_DATE_EPOCH stage does not meet
  source-only requirements: unsupported run instruction", "SOURCE_DATE_EPOCH
  stage must contain exactly one remote ADD");
- whose one source, after expansion, is an HTTP(S) URL or a Git repository ("SOURCE_DATE_EPOCH
  stage source must be a single HTTP(S) or Git ADD").

A value that names neither a stage nor a named build context the project gives
fails with "invalid SOURCE_DATE_EPOCH". The messages are BuildKit's
(dockerfile2llb, v0.34.2); BuildKit places them on the stage's FROM.`,
	Bad: `ARG SOURCE_DATE_EPOCH=stamp
FROM alpine AS stamp
ADD https://github.com/moby/buildkit.git#v0.34.2 /

FROM alpine
RUN echo built
`,
	Good: `ARG SOURCE_DATE_EPOCH=stamp
FROM scratch AS stamp
ADD https://github.com/moby/buildkit.git#v0.34.2 /

FROM alpine
RUN echo built
`,
	Run: runSourceDateEpochStage,
})

func runSourceDateEpochStage(p *Pass) {
	ix := p.Index
	m := ix.Model()
	var ref analysis.StageRef
	found := false
	for r := range m.RefsIn(-1) {
		if r.Kind == analysis.RefEpoch {
			ref, found = r, true
		}
	}
	if !found {
		return
	}
	if ref.Resolution != analysis.ResolvesStage {
		if p.Config != nil && slices.ContainsFunc(p.Config.Contexts, func(c analysis.NamedContext) bool { return c.Name == ref.Value }) {
			return // BuildKit reads the named context's time
		}
		p.Reportf(ref.Span, nil, "invalid SOURCE_DATE_EPOCH: %s", ref.Value)
		return
	}
	s := ref.Target
	msg, at := epochStageError(p, s)
	if msg == "" {
		return
	}
	st := ix.Stage(s)
	d := Diagnostic{Span: st.BaseSpan, Message: msg,
		Related: []Related{{Span: ref.Span, Message: "SOURCE_DATE_EPOCH names this stage"}}}
	if at.End > at.Start {
		d.Related = append(d.Related, Related{Span: at, Message: "here"})
	}
	p.Report(d)
}

// epochStageError replays dockerfile2llb's sourceDateEpochStageSource on
// stage s with no build arguments: BuildKit's message when it fails, with
// the span of the instruction at fault (none for the FROM).
func epochStageError(p *Pass, s int) (string, analysis.Span) {
	ix := p.Index
	st := ix.Stage(s)
	lex := shell.NewLex(rune(ix.Escape))
	// The global ARGs without SOURCE_DATE_EPOCH itself, which the
	// stage's ARGs then change in order.
	env := map[string]string{}
	global := p.GlobalEnv()
	for _, k := range global.Keys() {
		if k != "SOURCE_DATE_EPOCH" {
			env[k], _ = global.Get(k)
		}
	}
	if base, _, err := lex.ProcessWord(st.Base, mapGetter(env)); err != nil {
		return fmt.Sprintf("failed to process source stage base name %q: %v", st.Base, err), analysis.Span{}
	} else if base != "scratch" {
		return "SOURCE_DATE_EPOCH stage must use FROM scratch", analysis.Span{}
	}
	adds := 0
	for _, n := range p.nodesIn(st.First+1, st.End) {
		cmd, ok := ix.BuildKitCommand(n.Index)
		if !ok {
			return "", analysis.Span{} // InstructionError says why
		}
		switch c := cmd.(type) {
		case *instructions.ArgCommand:
			for _, a := range c.Args {
				if a.Value == nil {
					continue
				}
				v, _, err := lex.ProcessWord(*a.Value, mapGetter(env))
				if err != nil {
					return err.Error(), n.Span()
				}
				env[a.Key] = v
			}
		case *instructions.AddCommand:
			if adds++; adds > 1 {
				return "SOURCE_DATE_EPOCH stage must contain exactly one remote ADD", n.Span()
			}
			if err := epochAddSource(c, lex, mapGetter(env)); err != nil {
				return err.Error(), n.Span()
			}
		default:
			return fmt.Sprintf("SOURCE_DATE_EPOCH stage does not meet source-only requirements: unsupported %s instruction", cmd.Name()), n.Span()
		}
	}
	if adds == 0 {
		return "SOURCE_DATE_EPOCH stage must contain exactly one remote ADD", analysis.Span{}
	}
	return "", analysis.Span{}
}

// epochAddSource checks the one ADD of a SOURCE_DATE_EPOCH stage as
// dockerfile2llb's sourceDateEpochAddSource does.
func epochAddSource(c *instructions.AddCommand, lex *shell.Lex, env shell.EnvGetter) error {
	if len(c.SourceContents) != 0 || len(c.SourcePaths) != 1 {
		return errors.New("SOURCE_DATE_EPOCH stage must contain exactly one remote ADD source")
	}
	src, _, err := lex.ProcessWord(c.SourcePaths[0], env)
	if err != nil {
		return err
	}
	git, http := remoteSource(src)
	switch {
	case http:
		if c.Checksum != "" {
			sum, _, err := lex.ProcessWord(c.Checksum, env)
			if err != nil {
				return err
			}
			if _, err := digest.Parse(sum); err != nil {
				return err
			}
		}
		return nil
	case git && !strings.HasPrefix(src, "github.com/"):
		// A Git reference without a scheme reads as a local path here.
		return nil
	}
	return errors.New("SOURCE_DATE_EPOCH stage source must be a single HTTP(S) or Git ADD")
}

// mapGetter is a shell.EnvGetter over a map.
type mapGetter map[string]string

func (e mapGetter) Get(k string) (string, bool) { v, ok := e[k]; return v, ok }

func (e mapGetter) Keys() []string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	return keys
}
