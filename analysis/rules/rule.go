// Package rules holds Stagehand's diagnostics: a registry of rules declared
// as data, each with its name, documentation and default severity, and a
// runner that applies them to an index under a configuration and the
// file's own `# check=` directives. Diagnostics carry their fixes as edits,
// so the command line and the language server share one implementation.
//
// Adding a rule takes one file that declares a *Rule and registers it from
// an init function; its documentation page (docs/rules/<Name>.md) is then
// regenerated with `go generate ./analysis/rules`.
package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

//go:generate go run ./gendocs -out ../../docs/rules

// Severity is how serious a diagnostic is; Off silences a rule.
type Severity int

const (
	Off Severity = iota
	Hint
	Information
	Warning
	Error
)

var severityNames = [...]string{"off", "hint", "information", "warning", "error"}

func (s Severity) String() string {
	if s < Off || s > Error {
		return fmt.Sprintf("Severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity reads a severity setting: off, hint, information (or
// info), warning or error, in any case.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "off", "none", "ignore":
		return Off, nil
	case "hint":
		return Hint, nil
	case "information", "info":
		return Information, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return Off, fmt.Errorf("unknown severity %q: want off, hint, information, warning or error", s)
}

// Tag marks a diagnostic for special display.
type Tag int

const (
	Unnecessary Tag = iota + 1 // unused code: editors fade it
	Deprecated                 // obsolete syntax: editors strike it through
)

func (t Tag) String() string {
	switch t {
	case Unnecessary:
		return "unnecessary"
	case Deprecated:
		return "deprecated"
	}
	return fmt.Sprintf("Tag(%d)", int(t))
}

// DocsBase is where the rule pages live; a rule's URL is DocsBase + its
// name + ".md".
const DocsBase = "https://github.com/stagehand-ls/stagehand/blob/main/docs/rules/"

// Rule is one check, declared once as a value.
type Rule struct {
	Name     string   // PascalCase, as BuildKit names its checks
	Summary  string   // one sentence: what the rule reports
	Doc      string   // why it matters and what to do, in Markdown paragraphs
	Severity Severity // default severity
	Tags     []Tag
	// BuildKit marks a rule of BuildKit's own checks (`docker build
	// --check`): same name and meaning. `# check=error=true` raises only
	// these to errors, as it fails only builds that BuildKit checks.
	BuildKit bool
	// Comments says which `# check=` comment above an instruction applies
	// to a BuildKit rule's finding, as BuildKit v0.34.2 runs the rule (see
	// CommentScope). Stagehand's own rules take the comment above the
	// finding's instruction and the one above its stage's FROM.
	Comments CommentScope
	// Fails marks a rule whose finding makes the build fail: `# check=skip=all`
	// does not silence it (naming it in skip does).
	Fails bool
	// Bad and Good are example Dockerfiles for the rule's page: Bad is
	// reported, Good is not.
	Bad, Good string
	// Run checks the whole index. A local rule (see local.go) gives Local
	// and the instructions it looks at, Cmds, instead. A rule about what
	// other files ask of the Dockerfile gives Use (see use.go), which
	// RunUses calls and Run does not.
	Run   func(p *Pass)
	Local func(p *Pass, n analysis.Node)
	Cmds  []string
	Use   func(p *Pass, u Use)
	// UsedBy is, for a rule with Use, the compose.yaml of the examples:
	// it names what Bad lacks and Good has.
	UsedBy string
	// Scope says what the findings depend on, for incremental runs; a
	// local rule is PerStage.
	Scope Scope
}

// CommentScope is which `# check=` comments BuildKit applies to a rule.
type CommentScope int

const (
	// CommentsAbove: the comment above the instruction of the finding.
	// BuildKit merges it into the linter of that instruction only; the one
	// above a FROM covers the checks of the FROM line, not its stage.
	CommentsAbove CommentScope = iota
	// CommentsIgnored: none. BuildKit runs the rule with the file's
	// configuration (the parser directive) alone.
	CommentsIgnored
	// CommentsOfRelated: the comment above the instruction of the
	// finding's first related place. BuildKit reports an overridden CMD
	// while it reads the CMD that overrides it, with that one's comments.
	CommentsOfRelated
)

// perStage reports whether r's findings may be kept by stage.
func (r *Rule) perStage() bool { return r.Scope == PerStage || r.Local != nil }

// URL returns the address of the rule's documentation page.
func (r *Rule) URL() string { return DocsBase + r.Name + ".md" }

var registry = map[string]*Rule{}

// register adds r to the registry; rule files call it from init.
func register(r *Rule) *Rule {
	if _, dup := registry[r.Name]; dup {
		panic("rules: duplicate rule " + r.Name)
	}
	registry[r.Name] = r
	return r
}

// All returns every rule, sorted by name.
func All() []*Rule {
	out := make([]*Rule, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup returns the rule called name, or nil.
func Lookup(name string) *Rule { return registry[name] }
