package rules

import (
	"fmt"
	"strings"
)

// Page returns the Markdown reference page of r, as docs/rules/<Name>.md
// holds it.
func Page(r *Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n%s\n\n", r.Name, r.Summary)
	b.WriteString("| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| Default severity | %s |\n", r.Severity)
	if len(r.Tags) > 0 {
		var tags []string
		for _, t := range r.Tags {
			tags = append(tags, t.String())
		}
		fmt.Fprintf(&b, "| Tags | %s |\n", strings.Join(tags, ", "))
	}
	if r.BuildKit {
		fmt.Fprintf(&b, "| BuildKit check | yes: same name and meaning as in `docker build --check` |\n")
	} else {
		fmt.Fprintf(&b, "| BuildKit check | no: Stagehand's own |\n")
	}
	if r.Fails {
		fmt.Fprintf(&b, "| Build fails | yes: `# check=skip=all` does not silence it |\n")
	}
	fmt.Fprintf(&b, "\n## Why\n\n%s\n\n", strings.TrimSpace(r.Doc))
	fmt.Fprintf(&b, "## Bad\n\n```dockerfile\n%s```\n\n", r.Bad)
	if r.UsedBy != "" {
		fmt.Fprintf(&b, "with this `compose.yaml` beside it:\n\n```yaml\n%s```\n\n", r.UsedBy)
	}
	fmt.Fprintf(&b, "## Good\n\n```dockerfile\n%s```\n\n", r.Good)
	if r.UsedBy != "" {
		fmt.Fprintf(&b, "with the same `compose.yaml`.\n\n")
	}
	b.WriteString("## Configure\n\n")
	if r.Use != nil {
		fmt.Fprintf(&b, "- In the Dockerfile: `# check=skip=%s` as a parser directive at the top skips it for what other files ask of that Dockerfile.\n", r.Name)
	} else {
		fmt.Fprintf(&b, "- In the Dockerfile: `# check=skip=%s` as a parser directive at the top skips it for the file; %s\n", r.Name, commentDoc(r))
	}
	if r.BuildKit {
		b.WriteString("- `# check=error=true` turns its findings into errors, as it fails `docker build`.\n")
	}
	fmt.Fprintf(&b, "- In the editor: `{\"stagehand\": {\"rules\": {\"%s\": \"off\"}}}` (or `hint`, `information`, `warning`, `error`).\n", r.Name)
	fmt.Fprintf(&b, "- On the command line: `stagehand check --rule %s=off`.\n", r.Name)
	return b.String()
}

// IndexPage returns docs/rules/README.md: every rule with its summary.
func IndexPage() string {
	var b strings.Builder
	b.WriteString("# Rules\n\n")
	b.WriteString("Generated from the registry in `analysis/rules` by `go generate ./analysis/rules`; do not edit.\n\n")
	b.WriteString("Besides these rules, `ParseError` and `InstructionError` report what BuildKit itself rejects; they cannot be configured.\n\n")
	b.WriteString("| Rule | Default | BuildKit | Summary |\n|---|---|---|---|\n")
	for _, r := range All() {
		bk := ""
		if r.BuildKit {
			bk = "yes"
		}
		fmt.Fprintf(&b, "| [%s](%s.md) | %s | %s | %s |\n", r.Name, r.Name, r.Severity, bk, strings.ReplaceAll(r.Summary, "|", `\|`))
	}
	b.WriteString("\n## BuildKit checks not implemented\n\n")
	b.WriteString("- **InvalidBaseImagePlatform** needs the base image's metadata (its platform), which Stagehand does not fetch: it works offline. `docker build --check` reports it.\n")
	b.WriteString("- **InvalidDefinitionDescription** is experimental in BuildKit and off unless `# check=experimental=...` enables it.\n")
	return b.String()
}

// commentDoc says what a `# check=skip=` comment above an instruction does
// to r (see Rule.Comments).
func commentDoc(r *Rule) string {
	switch {
	case !r.BuildKit:
		return "the same comment right above an instruction skips it there, and above a stage's `FROM` for the whole stage."
	case r.Comments == CommentsIgnored:
		return "a comment above an instruction does not skip it, as BuildKit checks it with the directive at the top alone."
	case r.Comments == CommentsOfRelated:
		return "the same comment right above the instruction that overrides the reported one skips it, as BuildKit reads that one's comments."
	}
	return "the same comment right above an instruction skips it there (above a `FROM`, for that line only, as in BuildKit)."
}
