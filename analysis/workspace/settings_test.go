package workspace

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/analysis/rules"
)

// TestSchema: the JSON schema for editors describes the keys Settings
// reads and the severities rules.ParseSeverity takes.
func TestSchema(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "stagehand.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Properties map[string]struct {
			AdditionalProperties struct {
				Enum []string `json:"enum"`
			} `json:"additionalProperties"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	var keys, want []string
	for k := range schema.Properties {
		keys = append(keys, k)
	}
	st := reflect.TypeOf(Settings{})
	for i := range st.NumField() {
		want = append(want, strings.Split(st.Field(i).Tag.Get("yaml"), ",")[0])
	}
	sort.Strings(keys)
	sort.Strings(want)
	if d := cmp.Diff(want, keys); d != "" {
		t.Errorf("schema keys (-Settings +schema):\n%s", d)
	}
	for _, sev := range schema.Properties["rules"].AdditionalProperties.Enum {
		if _, err := rules.ParseSeverity(sev); err != nil {
			t.Errorf("schema severity %q: %v", sev, err)
		}
	}
	if n := len(schema.Properties["rules"].AdditionalProperties.Enum); n != int(rules.Error-rules.Off)+1 {
		t.Errorf("schema lists %d severities, want %d", n, int(rules.Error-rules.Off)+1)
	}
}

func TestLoadSettings(t *testing.T) {
	root := t.TempDir()
	st, err := LoadSettings(root)
	if err != nil || st == nil {
		t.Fatalf("no file: %v, %v", st, err)
	}
	writeTree(t, root, map[string]string{SettingsFile: "rules:\n  UnusedStage: off\n  Nope: error\n  StageNameCasing: loud\ntargets: [a, ' ']\n"})
	st, err = LoadSettings(root)
	if err != nil {
		t.Fatal(err)
	}
	l, errs := st.Layer(SettingsFile)
	if len(errs) != 2 {
		t.Errorf("errors %v, want the unknown rule and the bad severity", errs)
	}
	if d := cmp.Diff(Layer{Source: SettingsFile, Severity: map[string]rules.Severity{"UnusedStage": rules.Off}, Targets: []string{"a"}}, l); d != "" {
		t.Errorf("layer (-want +got):\n%s", d)
	}
	writeTree(t, root, map[string]string{SettingsFile: "rule: {}\n"})
	if _, err := LoadSettings(root); err == nil {
		t.Error("an unknown key is not reported")
	}

	// Precedence: later layers win a rule; targets add up.
	cfg, origins := Merge(l, Layer{Source: "--rule", Severity: map[string]rules.Severity{"UnusedStage": rules.Error}, Targets: []string{"b", "a"}})
	if cfg.Severity["UnusedStage"] != rules.Error || !reflect.DeepEqual(cfg.Targets, []string{"a", "b"}) {
		t.Errorf("merged %+v", cfg)
	}
	var got []string
	for _, o := range origins {
		got = append(got, o.String())
	}
	want := []string{"rule UnusedStage = error (from --rule)", "target a = built (from .stagehand.yaml)", "target b = built (from --rule)"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("origins (-want +got):\n%s", d)
	}
}
