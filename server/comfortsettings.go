package server

import (
	"context"
	"encoding/json"
	"sync"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// comfortSettings are the editing-comfort settings of the "stagehand"
// section:
//
//	{"inlayHints": {"enabled": false}, "format": {"indent": 2, "shell": true}}
//
// The rules configuration (config.go) keeps only what the rules need, so
// these are read from the same section on their own: pulled with
// workspace/configuration when the client offers it, again after every
// configuration change; otherwise the defaults hold.
type comfortSettings struct {
	InlayHints struct {
		Enabled *bool `json:"enabled"`
	} `json:"inlayHints"`
	Format struct {
		Indent int  `json:"indent"`
		Shell  bool `json:"shell"` // also format RUN scripts
	} `json:"format"`
}

// inlayHints reports whether inlay hints are on; they are by default.
func (c comfortSettings) inlayHints() bool {
	return c.InlayHints.Enabled == nil || *c.InlayHints.Enabled
}

// parseComfort reads the settings from the section itself or from an
// object holding it under "stagehand"; anything it cannot read is default.
func parseComfort(raw []byte) (comfortSettings, error) {
	var c comfortSettings
	if len(raw) == 0 || string(raw) == "null" {
		return c, nil
	}
	var wrapped map[string]json.RawMessage
	if err := json.Unmarshal(raw, &wrapped); err != nil {
		return c, err
	}
	if inner, ok := wrapped[configSection]; ok {
		raw = inner
	}
	err := json.Unmarshal(raw, &c)
	return c, err
}

// comfortState is a server's settings and the configuration generation
// they were pulled at.
type comfortState struct {
	gen      int
	settings comfortSettings
}

// comfortStates holds each server's comfort settings, kept apart from
// Server so that the feature stays in its own files.
var comfortStates sync.Map // *Server -> comfortState

// comfort returns the current comfort settings, pulling them again when
// the configuration changed since they were last read.
func (s *Server) comfort(ctx context.Context) comfortSettings {
	_, gen := s.rulesConfig()
	if v, ok := comfortStates.Load(s); ok && v.(comfortState).gen == gen {
		return v.(comfortState).settings
	}
	var c comfortSettings
	if s.options().pullConfiguration {
		section := configSection
		res, err := s.client.Configuration(ctx, &protocol.ConfigurationParams{Items: []protocol.ConfigurationItem{{Section: &section}}})
		if err != nil || len(res) == 0 {
			s.log.Debug("workspace/configuration for comfort settings failed", zap.Error(err))
		} else if c, err = parseComfort(res[0]); err != nil {
			s.log.Warn("ignoring the comfort settings", zap.Error(err))
		}
	}
	comfortStates.Store(s, comfortState{gen: gen, settings: c})
	return c
}
