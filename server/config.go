package server

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
)

// Settings is the "stagehand" configuration section, as clients send it in
// initializationOptions, answer workspace/configuration with, or push in
// workspace/didChangeConfiguration:
//
//	{"rules": {"UnusedStage": "warning", "JSONArgsRecommended": "off"},
//	 "targets": ["dev", "test"]}
type Settings struct {
	// Rules sets rules' severities: off, hint, information, warning, error.
	Rules map[string]string `json:"rules,omitempty"`
	// Targets names the stages built besides the last one.
	Targets []string `json:"targets,omitempty"`
}

// configSection is the section the server asks the client for.
const configSection = "stagehand"

// parseSettings reads settings in any of the shapes clients send: the
// section itself, or an object holding it under "stagehand". Unknown rules
// and severities are reported, not fatal.
func parseSettings(raw []byte) (*rules.Config, []error) {
	cfg := &rules.Config{}
	if len(raw) == 0 || string(raw) == "null" {
		return cfg, nil
	}
	var wrapped map[string]json.RawMessage
	if err := json.Unmarshal(raw, &wrapped); err != nil {
		return cfg, []error{fmt.Errorf("settings: %w", err)}
	}
	if inner, ok := wrapped[configSection]; ok {
		raw = inner
	} else if flat := flatSection(wrapped); flat != nil {
		raw = flat
	}
	var st Settings
	if err := json.Unmarshal(raw, &st); err != nil {
		return cfg, []error{fmt.Errorf("settings: %w", err)}
	}
	// The same checks as the project's settings file.
	l, errs := (&workspace.Settings{Rules: st.Rules, Targets: st.Targets}).Layer("settings")
	cfg.Severity, cfg.Targets = l.Severity, l.Targets
	return cfg, errs
}

// flatSection gathers "stagehand.rules" and "stagehand.targets" keys, as
// clients that flatten settings send them, into a section.
func flatSection(m map[string]json.RawMessage) []byte {
	section := map[string]json.RawMessage{}
	for k, v := range m {
		if name, ok := strings.CutPrefix(k, configSection+"."); ok {
			section[name] = v
		}
	}
	if len(section) == 0 {
		return nil
	}
	b, _ := json.Marshal(section)
	return b
}

// setSettings makes raw the server's configuration.
func (s *Server) setSettings(raw []byte) {
	cfg, errs := parseSettings(raw)
	for _, err := range errs {
		s.log.Warn("ignoring part of the configuration", zap.Error(err))
	}
	s.mu.Lock()
	s.rulesCfg = cfg
	s.configGen++
	s.mu.Unlock()
	s.logSettings()
}

// logSettings logs each setting in force with the source that won, the
// editor's settings or a project settings file, as `check --verbose` says.
func (s *Server) logSettings() {
	editor, _ := s.rulesConfig()
	proj := s.ws.proj.Load()
	for _, root := range proj.Roots {
		file, _ := proj.Settings(root).Layer(filepath.Join(root, workspace.SettingsFile))
		_, origins := workspace.Merge(file, workspace.Layer{Source: "editor settings", Severity: editor.Severity, Targets: editor.Targets})
		for _, o := range origins {
			s.log.Info("setting", zap.String("root", root), zap.String("value", o.String()))
		}
	}
}

// rulesConfig returns the current configuration and its generation.
func (s *Server) rulesConfig() (*rules.Config, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rulesCfg == nil {
		return &rules.Config{}, s.configGen
	}
	return s.rulesCfg, s.configGen
}

// pullConfiguration asks the client for the stagehand section and applies
// it. It must not run on the connection's read loop: the answer arrives
// through it.
func (s *Server) pullConfiguration(ctx context.Context) bool {
	section := configSection
	res, err := s.client.Configuration(ctx, &protocol.ConfigurationParams{Items: []protocol.ConfigurationItem{{Section: &section}}})
	if err != nil {
		s.log.Warn("workspace/configuration failed", zap.Error(err))
		return false
	}
	if len(res) == 0 {
		return false
	}
	s.setSettings(res[0])
	return true
}

// Initialized starts the workspace scan and pulls the configuration when
// the client offers it.
func (s *Server) Initialized(ctx context.Context, params *protocol.InitializedParams) error {
	s.startWorkspace()
	if !s.options().pullConfiguration {
		return nil
	}
	go func() {
		if s.pullConfiguration(context.Background()) {
			s.refreshDiagnostics()
		}
	}()
	return nil
}

// DidChangeConfiguration applies settings the client pushes, or pulls them
// when it sends none, then recomputes every open document's diagnostics.
func (s *Server) DidChangeConfiguration(ctx context.Context, params *protocol.DidChangeConfigurationParams) error {
	raw := []byte(params.Settings)
	if hasSection(raw) {
		s.setSettings(raw)
		s.refreshDiagnostics()
		return nil
	}
	if s.options().pullConfiguration {
		go func() {
			if s.pullConfiguration(context.Background()) {
				s.refreshDiagnostics()
			}
		}()
		return nil
	}
	if len(raw) > 0 && string(raw) != "null" {
		s.setSettings(raw)
		s.refreshDiagnostics()
	}
	return nil
}

// hasSection reports whether raw holds a "stagehand" section.
func hasSection(raw []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	v, ok := m[configSection]
	return ok && string(v) != "null"
}

// refreshDiagnostics recomputes the diagnostics of every open document:
// republished in push mode, refreshed by the client in pull mode.
func (s *Server) refreshDiagnostics() {
	s.inputs.Add(1) // runs in flight read the old settings: they publish nothing
	if s.pullMode() {
		if s.options().refreshDiagnostics {
			go func() {
				if err := s.client.DiagnosticRefresh(context.Background()); err != nil {
					s.log.Warn("workspace/diagnostic/refresh failed", zap.Error(err))
				}
			}()
		}
		return
	}
	for u := range s.docs.view() {
		s.scheduleDiagnostics(u)
	}
}
