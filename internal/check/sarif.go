package check

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
)

// SARIF 2.1.0, the subset GitHub code scanning reads:
// https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      sarifText       `json:"fullDescription"`
	HelpURI              string          `json:"helpUri,omitempty"`
	Help                 *sarifHelp      `json:"help,omitempty"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           map[string]any  `json:"properties,omitempty"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifText       `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifText            `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent *sarifText  `json:"insertedContent,omitempty"`
}

// sarifLevel maps a severity to SARIF's levels.
func sarifLevel(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	}
	return "note"
}

// writeSARIF writes the findings as one SARIF run. Every rule of the
// registry is listed, so code scanning can show rule help for any result.
func writeSARIF(w io.Writer, findings []Finding) error {
	driver := sarifDriver{Name: "stagehand", InformationURI: "https://github.com/stagehand-ls/stagehand"}
	index := map[string]int{}
	addRule := func(r sarifRule) {
		index[r.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, r)
	}
	for _, name := range []string{rules.ParseError, rules.InstructionError} {
		text := "BuildKit rejects the Dockerfile"
		if name == rules.InstructionError {
			text = "BuildKit rejects an instruction"
		}
		addRule(sarifRule{ID: name, Name: name, ShortDescription: sarifText{text}, FullDescription: sarifText{text},
			DefaultConfiguration: sarifRuleConfig{Level: "error"}})
	}
	for _, r := range rules.All() {
		tags := []string{"dockerfile"}
		if r.BuildKit {
			tags = append(tags, "buildkit")
		}
		for _, t := range r.Tags {
			tags = append(tags, t.String())
		}
		addRule(sarifRule{
			ID: r.Name, Name: r.Name,
			ShortDescription:     sarifText{r.Summary},
			FullDescription:      sarifText{r.Summary},
			HelpURI:              r.URL(),
			Help:                 &sarifHelp{Text: r.Summary + "\n\n" + r.Doc, Markdown: r.Doc},
			DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(r.Severity)},
			Properties:           map[string]any{"tags": tags},
		})
	}
	results := []sarifResult{}
	for _, f := range findings {
		uri := sarifURI(f.Path)
		loc := func(span analysis.Span) sarifPhysicalLocation {
			return sarifPhysicalLocation{ArtifactLocation: sarifArtifact{URI: uri}, Region: region(f.doc, span)}
		}
		res := sarifResult{
			RuleID:    f.Rule,
			RuleIndex: index[f.Rule],
			Level:     sarifLevel(f.level),
			Message:   sarifText{f.Message},
			Locations: []sarifLocation{{PhysicalLocation: loc(f.diag.Span)}},
		}
		for i, r := range f.diag.Related {
			id := i + 1
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{ID: &id, PhysicalLocation: loc(r.Span), Message: &sarifText{r.Message}})
		}
		for _, fx := range f.diag.Fixes {
			ch := sarifArtifactChange{ArtifactLocation: sarifArtifact{URI: uri}}
			for _, e := range fx.Edits {
				rep := sarifReplacement{DeletedRegion: region(f.doc, e.Span)}
				if e.Text != "" {
					rep.InsertedContent = &sarifText{e.Text}
				}
				ch.Replacements = append(ch.Replacements, rep)
			}
			res.Fixes = append(res.Fixes, sarifFix{Description: sarifText{fx.Title}, ArtifactChanges: []sarifArtifactChange{ch}})
		}
		results = append(results, res)
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{{Tool: sarifTool{Driver: driver}, ColumnKind: "utf16CodeUnits", Results: results}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// region converts a span to a SARIF region: 1-based lines, 1-based UTF-16
// columns, the end exclusive.
func region(doc *analysis.Document, s analysis.Span) sarifRegion {
	a := position(doc, s.Start, analysis.UTF16)
	b := position(doc, s.End, analysis.UTF16)
	return sarifRegion{StartLine: a.Line + 1, StartColumn: a.Col + 1, EndLine: b.Line + 1, EndColumn: b.Col + 1}
}

// sarifURI names a file for SARIF: a relative path stays relative (code
// scanning resolves it against the checkout), an absolute one becomes a
// file URI.
func sarifURI(path string) string {
	p := filepath.ToSlash(path)
	if !filepath.IsAbs(path) {
		return (&url.URL{Path: strings.TrimPrefix(p, "./")}).EscapedPath()
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
