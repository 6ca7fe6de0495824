package workspace

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/internal/confined"
)

// SettingsFile is the name of the project settings file, at the root.
const SettingsFile = ".stagehand.yaml"

// Settings are a project's settings, as .stagehand.yaml holds them:
//
//	rules:
//	  UnusedStage: error
//	  JSONArgsRecommended: off
//	targets: [dev, test]
//	ignore: ["legacy/**", "**/testdata/**"]
//
// Editor settings (the same rules and targets) and `stagehand check` flags
// take precedence over the file.
type Settings struct {
	// Rules sets rules' severities: off, hint, information, warning, error.
	Rules map[string]string `yaml:"rules" json:"rules,omitempty"`
	// Targets names stages built besides those the workspace's files name.
	Targets []string `yaml:"targets" json:"targets,omitempty"`
	// Ignore lists paths, relative to the root, in .dockerignore syntax,
	// that are neither checked nor scanned for targets.
	Ignore []string `yaml:"ignore" json:"ignore,omitempty"`
}

// LoadSettings reads root's settings file; a missing file gives empty
// settings and no error.
func LoadSettings(root string) (*Settings, error) {
	p := filepath.Join(root, SettingsFile)
	data, err := confined.ReadFile(root, p, confined.Limit)
	if errors.Is(err, os.ErrNotExist) {
		return &Settings{}, nil
	}
	if err != nil {
		return &Settings{}, err
	}
	var st Settings
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&st); err != nil && !errors.Is(err, io.EOF) {
		return &Settings{}, fmt.Errorf("%s: %w", p, err)
	}
	return &st, nil
}

// Layer is one source of settings, for Merge: the settings file, the
// editor's settings or the command line.
type Layer struct {
	Source   string // for people: ".stagehand.yaml", "editor settings", "--rule"
	Severity map[string]rules.Severity
	Targets  []string
}

// Layer validates the settings' rules and severities as a layer named
// source; what is wrong is reported and left out.
func (st *Settings) Layer(source string) (Layer, []error) {
	l := Layer{Source: source}
	var errs []error
	names := make([]string, 0, len(st.Rules))
	for name := range st.Rules {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if rules.Lookup(name) == nil {
			errs = append(errs, fmt.Errorf("%s: unknown rule %q", source, name))
			continue
		}
		sev, err := rules.ParseSeverity(st.Rules[name])
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: rule %s: %w", source, name, err))
			continue
		}
		if l.Severity == nil {
			l.Severity = map[string]rules.Severity{}
		}
		l.Severity[name] = sev
	}
	for _, t := range st.Targets {
		if t = strings.TrimSpace(t); t != "" {
			l.Targets = append(l.Targets, t)
		}
	}
	return l, errs
}

// Origin says which layer gave a setting its value.
type Origin struct {
	Setting string // "rule UnusedStage", "target dev"
	Value   string
	Source  string
}

func (o Origin) String() string {
	return fmt.Sprintf("%s = %s (from %s)", o.Setting, o.Value, o.Source)
}

// Merge combines layers, the lowest precedence first: a rule's severity
// comes from the last layer that sets it; targets add up. It returns the
// rules' configuration and where each setting came from, sorted.
func Merge(layers ...Layer) (*rules.Config, []Origin) {
	cfg := &rules.Config{}
	from := map[string]Origin{}
	for _, l := range layers {
		for name, sev := range l.Severity {
			if cfg.Severity == nil {
				cfg.Severity = map[string]rules.Severity{}
			}
			cfg.Severity[name] = sev
			from["rule "+name] = Origin{Setting: "rule " + name, Value: sev.String(), Source: l.Source}
		}
		for _, t := range l.Targets {
			if _, dup := from["target "+t]; !dup {
				cfg.Targets = append(cfg.Targets, t)
				from["target "+t] = Origin{Setting: "target " + t, Value: "built", Source: l.Source}
			}
		}
	}
	origins := make([]Origin, 0, len(from))
	for _, o := range from {
		origins = append(origins, o)
	}
	sort.Slice(origins, func(i, j int) bool { return origins[i].Setting < origins[j].Setting })
	return cfg, origins
}
