package server

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
)

// Settings is everything the "stagehand" configuration section sets, as
// clients send it in initializationOptions, answer workspace/configuration
// with, or push in workspace/didChangeConfiguration:
//
//	{"rules": {"UnusedStage": "warning", "JSONArgsRecommended": "off"},
//	 "targets": ["dev", "test"],
//	 "inlayHints": {"enabled": false}, "format": {"indent": 2, "shell": true}}
//
// parseSettings makes one; the server keeps the current one and swaps it
// whole when the settings change (at initialize, after the pull that
// follows initialized, and on didChangeConfiguration), so that a request
// reads it without a lock and without asking the client. A project's
// settings file (.stagehand.yaml) is merged under Rules per document
// (workspaceState.rulesFor): it belongs to a folder, not to the editor.
type Settings struct {
	// Rules is the editor's layer of the rules' configuration: severities
	// and the stages built besides the last one.
	Rules *rules.Config
	// InlayHints turns inlay hints on; they are on by default.
	InlayHints bool
	// Format is the formatter's settings.
	Format FormatSettings
}

// FormatSettings are the "format" settings.
type FormatSettings struct {
	Indent int  // the indentation width; 0 keeps the file's own, else the editor's tab size
	Shell  bool // also format RUN scripts
}

// defaultSettings hold until the client sends any.
var defaultSettings = &Settings{Rules: &rules.Config{}, InlayHints: true}

// section is the JSON shape of the section; each key is read on its own,
// so that a mistake in one leaves the others in force.
type section struct {
	// Rules sets rules' severities: off, hint, information, warning, error.
	Rules map[string]string `json:"rules"`
	// Targets names the stages built besides the last one.
	Targets    []string `json:"targets"`
	InlayHints struct {
		Enabled *bool `json:"enabled"`
	} `json:"inlayHints"`
	Format struct {
		Indent int  `json:"indent"`
		Shell  bool `json:"shell"`
	} `json:"format"`
}

// configSection is the section the server asks the client for.
const configSection = "stagehand"

// parseSettings reads settings in any of the shapes clients send: the
// section itself, an object holding it under "stagehand", or flattened
// "stagehand.rules" keys. Unknown rules and severities, and keys of the
// wrong type, are reported and left at their defaults, not fatal.
func parseSettings(raw []byte) (*Settings, []error) {
	st := *defaultSettings
	if len(raw) == 0 || string(raw) == "null" {
		return &st, nil
	}
	var wrapped map[string]json.RawMessage
	if err := json.Unmarshal(raw, &wrapped); err != nil {
		return &st, []error{fmt.Errorf("settings: %w", err)}
	}
	if inner, ok := wrapped[configSection]; ok {
		wrapped = nil
		if err := json.Unmarshal(inner, &wrapped); err != nil {
			return &st, []error{fmt.Errorf("settings: %w", err)}
		}
	} else if flat := flatSection(wrapped); flat != nil {
		wrapped = flat
	}
	var sec section
	var errs []error
	for _, key := range []string{"rules", "targets", "inlayHints", "format"} {
		v, ok := wrapped[key]
		if !ok {
			continue
		}
		one, _ := json.Marshal(map[string]json.RawMessage{key: v})
		if err := json.Unmarshal(one, &sec); err != nil {
			errs = append(errs, fmt.Errorf("settings: %s: %w", key, err))
		}
	}
	// The same checks as the project's settings file.
	l, lerrs := (&workspace.Settings{Rules: sec.Rules, Targets: sec.Targets}).Layer("settings")
	st.Rules = &rules.Config{Severity: l.Severity, Targets: l.Targets}
	st.InlayHints = sec.InlayHints.Enabled == nil || *sec.InlayHints.Enabled
	st.Format = FormatSettings{Indent: sec.Format.Indent, Shell: sec.Format.Shell}
	return &st, append(errs, lerrs...)
}

// flatSection gathers "stagehand.rules", "stagehand.targets" and the like,
// as clients that flatten settings send them, into a section.
func flatSection(m map[string]json.RawMessage) map[string]json.RawMessage {
	section := map[string]json.RawMessage{}
	for k, v := range m {
		if name, ok := strings.CutPrefix(k, configSection+"."); ok {
			section[name] = v
		}
	}
	if len(section) == 0 {
		return nil
	}
	return section
}

// setSettings makes raw the server's settings.
func (s *Server) setSettings(raw []byte) {
	st, errs := parseSettings(raw)
	for _, err := range errs {
		s.log.Warn("ignoring part of the configuration", zap.Error(err))
	}
	s.current.Store(st)
	s.logSettings()
}

// settings returns the settings in force.
func (s *Server) settings() *Settings {
	if st := s.current.Load(); st != nil {
		return st
	}
	return defaultSettings
}

// logSettings logs each setting in force with the source that won, the
// editor's settings or a project settings file, as `check --verbose` says.
func (s *Server) logSettings() {
	proj := s.ws.proj.Load()
	for _, root := range proj.Roots {
		editor := s.settingsFor(root).Rules
		file, _ := proj.Settings(root).Layer(filepath.Join(root, workspace.SettingsFile))
		_, origins := workspace.Merge(file, workspace.Layer{Source: "editor settings", Severity: editor.Severity, Targets: editor.Targets})
		for _, o := range origins {
			s.log.Info("setting", zap.String("root", root), zap.String("value", o.String()))
		}
	}
}

// pullConfiguration asks the client for the stagehand section, in one
// request: the window's (no scopeUri) and each workspace folder's (its URI
// as scopeUri), and applies them. A folder the client answers null for
// takes the window's. It must not run on the connection's read loop: the
// answer arrives through it.
func (s *Server) pullConfiguration(ctx context.Context) bool {
	return s.pull(ctx, true)
}

// pull is pullConfiguration, asking for the window's section too when
// window is set (not when the client has just pushed it).
func (s *Server) pull(ctx context.Context, window bool) bool {
	section := configSection
	var items []protocol.ConfigurationItem
	if window {
		items = append(items, protocol.ConfigurationItem{Section: &section})
	}
	folders := s.ws.folderList()
	for _, f := range folders {
		items = append(items, protocol.ConfigurationItem{ScopeURI: &f.uri, Section: &section})
	}
	if len(items) == 0 {
		return false
	}
	res, err := s.client.Configuration(ctx, &protocol.ConfigurationParams{Items: items})
	if err != nil {
		s.log.Warn("workspace/configuration failed", zap.Error(err))
		return false
	}
	if len(res) == 0 {
		return false
	}
	if window {
		s.setSettings(res[0])
		res = res[1:]
	}
	by := map[uri.URI]*Settings{}
	for i, f := range folders {
		if i >= len(res) || len(res[i]) == 0 || string(res[i]) == "null" {
			continue
		}
		st, errs := parseSettings(res[i])
		for _, err := range errs {
			s.log.Warn("ignoring part of a folder's configuration", zap.String("folder", f.path), zap.Error(err))
		}
		by[f.uri] = st
	}
	s.ws.setFolderSettings(folders, by)
	s.logSettings()
	return true
}

// Initialized starts the workspace scan and pulls the configuration when
// the client offers it.
func (s *Server) Initialized(ctx context.Context, params *protocol.InitializedParams) error {
	s.startWorkspace()
	if s.options().pullConfiguration {
		go s.pullAndRefresh(true)
	}
	return nil
}

// pullAndRefresh pulls the configuration (the window's too when window is
// set) and rechecks the open documents when it came.
func (s *Server) pullAndRefresh(window bool) {
	defer s.ws.pulls.Add(1)
	if s.pull(context.Background(), window) {
		s.refreshDiagnostics()
	}
}

// DidChangeConfiguration applies settings the client pushes, or pulls them
// when it sends none, then recomputes every open document's diagnostics.
// A push is the window's settings: a client that answers
// workspace/configuration is asked for its folders' own then.
func (s *Server) DidChangeConfiguration(ctx context.Context, params *protocol.DidChangeConfigurationParams) error {
	raw := []byte(params.Settings)
	if hasSection(raw) {
		s.setSettings(raw)
		s.refreshDiagnostics()
		if s.options().pullConfiguration && len(s.ws.folderList()) > 0 {
			go s.pullAndRefresh(false)
		}
		return nil
	}
	if s.options().pullConfiguration {
		go s.pullAndRefresh(true)
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
