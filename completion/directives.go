package completion

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/linter"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
)

// CheckRule is a rule name `# check=skip=` takes.
type CheckRule struct {
	Name, Description, URL string
}

func buildkitRule[F any](r linter.LinterRule[F]) CheckRule {
	return CheckRule{r.Name, r.Description, r.URL}
}

// BuildKitRules are the build checks of BuildKit's linter (ruleset.go).
var BuildKitRules = []CheckRule{
	buildkitRule(linter.RuleStageNameCasing),
	buildkitRule(linter.RuleFromAsCasing),
	buildkitRule(linter.RuleNoEmptyContinuation),
	buildkitRule(linter.RuleConsistentInstructionCasing),
	buildkitRule(linter.RuleDuplicateStageName),
	buildkitRule(linter.RuleReservedStageName),
	buildkitRule(linter.RuleJSONArgsRecommended),
	buildkitRule(linter.RuleMaintainerDeprecated),
	buildkitRule(linter.RuleUndefinedArgInFrom),
	buildkitRule(linter.RuleWorkdirRelativePath),
	buildkitRule(linter.RuleUndefinedVar),
	buildkitRule(linter.RuleMultipleInstructionsDisallowed),
	buildkitRule(linter.RuleLegacyKeyValueFormat),
	buildkitRule(linter.RuleInvalidBaseImagePlatform),
	buildkitRule(linter.RuleRedundantTargetPlatform),
	buildkitRule(linter.RuleSecretsUsedInArgOrEnv),
	buildkitRule(linter.RuleInvalidDefaultArgInFrom),
	buildkitRule(linter.RuleFromPlatformFlagConstDisallowed),
	buildkitRule(linter.RuleCopyIgnoredFile),
	buildkitRule(linter.RuleInvalidDefinitionDescription),
	buildkitRule(linter.RuleExposeProtoCasing),
	buildkitRule(linter.RuleExposeInvalidFormat),
}

// checkRules returns the rule names offered after `skip=`: BuildKit's, in
// its order, and then Stagehand's own from the registry.
func checkRules() []CheckRule {
	all := rules.All()
	out := make([]CheckRule, 0, len(BuildKitRules)+len(all))
	out = append(out, BuildKitRules...)
	for _, r := range all {
		if !r.BuildKit {
			out = append(out, CheckRule{r.Name, r.Summary, r.URL()})
		}
	}
	return out
}

// inDirectiveHeader reports whether the offset's line may hold a parser
// directive: every line above it is one.
func (c *context) inDirectiveHeader() bool {
	return c.line <= len(c.ix.Directives)
}

// directives completes a parser directive's name or value on a comment line
// of the header.
func (c *context) directives() []Item {
	t := c.text
	i := 0
	if strings.HasPrefix(t, "\uFEFF") {
		i = len("\uFEFF")
	}
	for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
		i++
	}
	i++ // '#'
	for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
		i++
	}
	ns := i
	for i < len(t) && isNameByte(t[i]) {
		i++
	}
	ne := i
	if c.col < ns {
		return nil
	}
	if c.col <= ne {
		return c.directiveNames(ns, ne)
	}
	for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
		i++
	}
	if i >= len(t) || t[i] != '=' || c.col <= i {
		return nil
	}
	i++
	for i < len(t) && i < c.col && (t[i] == ' ' || t[i] == '\t') {
		i++
	}
	vs := i
	ve := len(strings.TrimRight(t, " \t"))
	ve = max(ve, c.col)
	d := analysis.LookupDirective(t[ns:ne])
	if d == nil {
		return nil
	}
	if d.Name == "check" {
		return c.checkValue(vs, ve)
	}
	return values(d.Values, t[vs:c.col], c.span(vs, ve), Value)
}

func (c *context) directiveNames(ns, ne int) []Item {
	t := c.text
	hasEq := strings.HasPrefix(strings.TrimLeft(t[ne:], " \t"), "=")
	present := map[string]bool{}
	for _, d := range c.ix.Directives {
		if c.doc.LineOf(d.Span.Start) != c.line {
			present[d.Name] = true
		}
	}
	var items []Item
	for i, d := range analysis.ParserDirectives {
		if present[d.Name] || !hasPrefixFold(d.Name, t[ns:c.col]) {
			continue
		}
		it := Item{
			Label: d.Name, Kind: Directive, Detail: "# " + d.Name + "=",
			Documentation: d.Doc + "\n\n[Dockerfile reference](" + d.URL + ")",
			Edit:          c.span(ns, ne), InsertText: d.Name, SortText: sortKey(i),
		}
		if !hasEq {
			it.InsertText += "="
		}
		items = append(items, it)
	}
	return items
}

// checkValue completes the value of `# check=`: `skip=rule,...`,
// `experimental=rule,...` and `error=bool`, separated by `;`.
func (c *context) checkValue(vs, ve int) []Item {
	t := c.text[:ve]
	ps := vs
	if k := strings.LastIndexByte(t[vs:c.col], ';'); k >= 0 {
		ps = vs + k + 1
	}
	pe := ve
	if k := strings.IndexByte(t[c.col:], ';'); k >= 0 {
		pe = c.col + k
	}
	for ps < c.col && (t[ps] == ' ' || t[ps] == '\t') {
		ps++
	}
	part := t[ps:pe]
	eq := strings.IndexByte(part, '=')
	if eq < 0 || c.col-ps <= eq {
		kend := len(part)
		if eq >= 0 {
			kend = eq
		}
		keys := []analysis.ValueInfo{
			{Value: "skip", Doc: "Rules to skip, comma-separated, or `all`."},
			{Value: "error", Doc: "`true` makes a failed check fail the build."},
			{Value: "experimental", Doc: "Experimental rules to run, comma-separated, or `all`."},
		}
		items := values(keys, t[ps:c.col], c.span(ps, ps+kend), Value)
		if eq < 0 {
			for i := range items {
				items[i].InsertText += "="
			}
		}
		return items
	}
	key := strings.ToLower(strings.TrimSpace(part[:eq]))
	as := ps + eq + 1
	switch key {
	case "error":
		return values([]analysis.ValueInfo{{Value: "true"}, {Value: "false"}}, t[as:c.col], c.span(as, pe), Value)
	case "skip", "experimental":
	default:
		return nil
	}
	rs := as
	if k := strings.LastIndexByte(t[as:c.col], ','); k >= 0 {
		rs = as + k + 1
	}
	re := pe
	if k := strings.IndexByte(t[c.col:pe], ','); k >= 0 {
		re = c.col + k
	}
	for rs < c.col && (t[rs] == ' ' || t[rs] == '\t') {
		rs++
	}
	given := map[string]bool{}
	for _, r := range strings.Split(t[as:pe], ",") {
		given[strings.TrimSpace(r)] = true
	}
	delete(given, strings.TrimSpace(t[rs:re]))
	prefix := t[rs:c.col]
	edit := c.span(rs, re)
	var items []Item
	if key == "skip" && rs == as && hasPrefixFold("all", prefix) {
		items = append(items, Item{Label: "all", Kind: Value, Documentation: "Skip every rule.", Edit: edit, InsertText: "all", SortText: sortKey(0)})
	}
	for i, r := range checkRules() {
		if given[r.Name] || !hasPrefixFold(r.Name, prefix) {
			continue
		}
		doc := r.Description
		if r.URL != "" {
			doc += "\n\n[" + r.Name + "](" + r.URL + ")"
		}
		items = append(items, Item{Label: r.Name, Kind: Rule, Documentation: doc, Edit: edit, InsertText: r.Name, SortText: sortKey(i + 1)})
	}
	return items
}
