package server

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

const multiTarget = "FROM alpine AS dev\nRUN true\nFROM alpine AS base\nRUN true\nFROM alpine AS base\nCMD echo hi\n"

// codes renders diagnostics as "line:rule", sorted.
func codes(ds []protocol.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		code, _ := d.Code.(protocol.String)
		out = append(out, fmt.Sprintf("%d:%s", d.Range.Start.Line+1, code))
	}
	slices.Sort(out)
	return out
}

// initializeParams runs the handshake with params, as testClient.
func (c *testClient) initializeParams(params *protocol.InitializeParams) *protocol.InitializeResult {
	c.t.Helper()
	params.ClientInfo = protocol.ClientInfo{Name: "testClient"}
	var res protocol.InitializeResult
	if err := c.call(protocol.MethodInitialize, params, &res); err != nil {
		c.t.Fatalf("initialize: %v", err)
	}
	c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	c.waitScanned()
	return &res
}

// nextDiagnostics waits for a publication of rawURI after the first n and
// returns it.
func (c *testClient) nextDiagnostics(rawURI string, n int) []protocol.Diagnostic {
	c.t.Helper()
	var got []protocol.Diagnostic
	c.waitFor("a new publication of "+rawURI, func() bool {
		k := 0
		for _, p := range c.published {
			if p.URI == rawURI {
				if k == n {
					got = p.Diagnostics
					return true
				}
				k++
			}
		}
		return false
	})
	return got
}

func TestInitializationOptions(t *testing.T) {
	c := newTestClient(t)
	c.initializeParams(&protocol.InitializeParams{
		InitializationOptions: []byte(`{"stagehand": {"targets": ["dev"], "rules": {"JSONArgsRecommended": "off", "FinalStageRunsAsRoot": "off", "DuplicateStageName": "error", "Nope": "off"}}}`),
	})
	c.open(testURI, multiTarget, 1)
	got := codes(c.diagnostics(testURI, 1))
	want := []string{"3:UnusedStage", "5:DuplicateStageName"} // BuildKit reports the later declaration only
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics = %v, want %v", got, want)
	}
	if !c.logged("ignoring part of the configuration") {
		t.Errorf("an unknown rule in the settings was not logged")
	}
}

func TestDidChangeConfigurationRepublishes(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	c.open(testURI, multiTarget, 1)
	before := codes(c.nextDiagnostics(testURI, 0))
	if !slices.Contains(before, "1:UnusedStage") || !slices.Contains(before, "6:JSONArgsRecommended") {
		t.Fatalf("before: %v", before)
	}
	c.settle() // publications of the old settings are all in
	seen := len(c.publicationsOf(testURI))
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{
		Settings: []byte(`{"stagehand": {"targets": ["dev"], "rules": {"JSONArgsRecommended": "off"}}}`),
	})
	after := codes(c.nextDiagnostics(testURI, seen))
	if slices.Contains(after, "1:UnusedStage") || slices.Contains(after, "6:JSONArgsRecommended") {
		t.Errorf("after the change: %v", after)
	}
}

func TestConfigurationPull(t *testing.T) {
	c := newTestClient(t)
	var asked atomic.Int32
	c.answers = map[string]func([]byte) (any, error){
		protocol.MethodWorkspaceConfiguration: func(params []byte) (any, error) {
			var p protocol.ConfigurationParams
			if err := json.Unmarshal(params, &p); err != nil || len(p.Items) != 1 || p.Items[0].Section == nil || *p.Items[0].Section != "stagehand" {
				t.Errorf("workspace/configuration params %s", params)
			}
			asked.Add(1)
			c.mu.Lock()
			c.cond.Broadcast()
			c.mu.Unlock()
			return []any{map[string]any{"targets": []string{"dev"}}}, nil
		},
	}
	yes := true
	c.initializeParams(&protocol.InitializeParams{Capabilities: protocol.ClientCapabilities{
		Workspace: &protocol.WorkspaceClientCapabilities{Configuration: &yes},
	}})
	c.waitFor("workspace/configuration", func() bool { return asked.Load() == 1 })
	c.open(testURI, multiTarget, 1)
	// The settings arrive asynchronously; the last publication has them.
	got := codes(c.nextDiagnostics(testURI, 0))
	for n := 1; slices.Contains(got, "1:UnusedStage"); n++ {
		got = codes(c.nextDiagnostics(testURI, n))
	}
	// A change notification without settings pulls them again.
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{Settings: []byte(`null`)})
	c.waitFor("a second workspace/configuration", func() bool { return asked.Load() == 2 })
}

func (c *testClient) publicationsOf(rawURI string) []published {
	var out []published
	for _, p := range c.publications() {
		if p.URI == rawURI {
			out = append(out, p)
		}
	}
	return out
}

func TestPullDiagnostics(t *testing.T) {
	c := newTestClient(t)
	res := c.initializeParams(&protocol.InitializeParams{Capabilities: protocol.ClientCapabilities{
		TextDocument: &protocol.TextDocumentClientCapabilities{Diagnostic: &protocol.DiagnosticClientCapabilities{}},
	}})
	if res.Capabilities.DiagnosticProvider == nil {
		t.Fatalf("no diagnosticProvider advertised")
	}
	c.open(testURI, "FROM alpine\nCMD echo hi\n", 1)
	var full struct {
		Kind     string                `json:"kind"`
		ResultID string                `json:"resultId"`
		Items    []protocol.Diagnostic `json:"items"`
	}
	params := &protocol.DocumentDiagnosticParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(testURI)}}
	if err := c.call(protocol.MethodTextDocumentDiagnostic, params, &full); err != nil {
		t.Fatal(err)
	}
	if full.Kind != "full" || !slices.Equal(codes(full.Items), []string{"2:JSONArgsRecommended"}) || full.ResultID == "" {
		t.Fatalf("report = %+v", full)
	}
	params.PreviousResultID = &full.ResultID
	var again struct {
		Kind string `json:"kind"`
	}
	if err := c.call(protocol.MethodTextDocumentDiagnostic, params, &again); err != nil {
		t.Fatal(err)
	}
	if again.Kind != "unchanged" {
		t.Errorf("second report kind = %q, want unchanged", again.Kind)
	}
	if n := len(c.publicationsOf(testURI)); n != 0 {
		t.Errorf("%d publications in pull mode", n)
	}
}

func TestDiagnosticShape(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	c.open(testURI, "FROM alpine AS base\nRUN true\nFROM alpine AS base\nMAINTAINER me\n", 1)
	ds := c.diagnostics(testURI, 1)
	byCode := map[string]protocol.Diagnostic{}
	for _, d := range ds {
		code, _ := d.Code.(protocol.String)
		byCode[string(code)] = d
	}
	dup, ok := byCode["DuplicateStageName"]
	if !ok {
		t.Fatalf("no DuplicateStageName in %v", codes(ds))
	}
	if src, _ := dup.Source.Get(); src != "stagehand" {
		t.Errorf("source = %q", src)
	}
	if got := string(dup.CodeDescription.Href); !strings.HasSuffix(got, "/docs/rules/DuplicateStageName.md") {
		t.Errorf("href = %q", got)
	}
	if len(dup.RelatedInformation) != 1 || string(dup.RelatedInformation[0].Location.URI) != testURI {
		t.Errorf("related = %+v", dup.RelatedInformation)
	}
	if tags := byCode["UnusedStage"].Tags.Slice(); !slices.Equal(tags, []protocol.DiagnosticTag{protocol.DiagnosticTagUnnecessary}) {
		t.Errorf("UnusedStage tags = %v", tags)
	}
	m := byCode["MaintainerDeprecated"]
	if tags := m.Tags.Slice(); !slices.Equal(tags, []protocol.DiagnosticTag{protocol.DiagnosticTagDeprecated}) {
		t.Errorf("MaintainerDeprecated tags = %v", tags)
	}
	var data DiagnosticData
	if err := json.Unmarshal(m.Data, &data); err != nil {
		t.Fatalf("data %s: %v", m.Data, err)
	}
	if data.Rule != "MaintainerDeprecated" || len(data.Fixes) != 2 || !data.Fixes[0].Preferred ||
		data.Fixes[0].Edits[0].NewText != `LABEL org.opencontainers.image.authors="me"` {
		t.Errorf("data = %+v", data)
	}
}

// TestDockerignoreBeside reads the .dockerignore in the folder of the
// document's file URI.
func TestDockerignoreBeside(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("*.md\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	docURI := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, "Dockerfile"))}).String()
	c := newTestClient(t)
	c.initialize()
	c.open(docURI, "FROM alpine\nCOPY README.md /docs/\nCOPY src /src\n", 1)
	if got := codes(c.diagnostics(docURI, 1)); !slices.Equal(got, []string{"2:CopyIgnoredFile"}) {
		t.Errorf("diagnostics = %v", got)
	}
}

func TestParseSettingsShapes(t *testing.T) {
	for _, raw := range []string{
		`{"stagehand": {"targets": ["dev"], "rules": {"UnusedStage": "warning"}}}`,
		`{"targets": ["dev"], "rules": {"UnusedStage": "warning"}}`,
		`{"stagehand.targets": ["dev"], "stagehand.rules": {"UnusedStage": "warning"}}`,
	} {
		st, errs := parseSettings([]byte(raw))
		if len(errs) > 0 || !slices.Equal(st.Rules.Targets, []string{"dev"}) || st.Rules.Severity["UnusedStage"].String() != "warning" {
			t.Errorf("%s: %+v %v", raw, st.Rules, errs)
		}
	}
	if _, errs := parseSettings([]byte(`{"rules": {"UnusedStage": "loud"}}`)); len(errs) != 1 {
		t.Errorf("a bad severity gave %v", errs)
	}
}
