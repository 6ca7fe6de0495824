package check

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis/rules"
)

func TestSARIF(t *testing.T) {
	root := writeTree(t, map[string]string{
		"Dockerfile": "FROM alpine AS base\nRUN true\nFROM alpine AS base\nCOPY --from=7 /a /a\n",
	})
	var stdout, stderr bytes.Buffer
	code := Main([]string{"--format", "sarif", filepath.Join(root, "Dockerfile")}, &stdout, &stderr)
	if code != ExitFindings {
		t.Errorf("exit code %d, want %d (stderr %q)", code, ExitFindings, stderr.String())
	}
	var log struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID      string `json:"id"`
						HelpURI string `json:"helpUri"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine, StartColumn, EndLine, EndColumn int
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				RelatedLocations []json.RawMessage `json:"relatedLocations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &log); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout.String())
	}
	if log.Version != "2.1.0" || !strings.Contains(log.Schema, "sarif-2.1.0") || len(log.Runs) != 1 {
		t.Fatalf("version %q schema %q runs %d", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "stagehand" || len(run.Tool.Driver.Rules) != len(rules.All())+2 { // ParseError, InstructionError
		t.Errorf("driver %q with %d rules", run.Tool.Driver.Name, len(run.Tool.Driver.Rules))
	}
	got := map[string]string{}
	for _, r := range run.Results {
		if run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %s has ruleIndex %d (%s)", r.RuleID, r.RuleIndex, run.Tool.Driver.Rules[r.RuleIndex].ID)
		}
		loc := r.Locations[0].PhysicalLocation
		if !strings.HasPrefix(loc.ArtifactLocation.URI, "file:///") || loc.Region.StartLine < 1 || loc.Region.StartColumn < 1 {
			t.Errorf("location %+v", loc)
		}
		got[r.RuleID] = r.Level
		if r.RuleID == "DuplicateStageName" && len(r.RelatedLocations) != 1 {
			t.Errorf("DuplicateStageName without its related location")
		}
	}
	want := map[string]string{"DuplicateStageName": "warning", "UnusedStage": "note", "NumericStageReference": "error"}
	for id, level := range want {
		if got[id] != level {
			t.Errorf("%s level = %q, want %q (results %v)", id, got[id], level, got)
		}
	}
}

func TestSARIFRelativeURI(t *testing.T) {
	if got := sarifURI(filepath.Join("web", "my app", "Dockerfile")); got != "web/my%20app/Dockerfile" {
		t.Errorf("sarifURI = %q", got)
	}
}

func TestRuleAndTargetFlags(t *testing.T) {
	root := writeTree(t, map[string]string{"Dockerfile": "FROM alpine AS dev\nRUN true\nFROM alpine\nCMD echo hi\n"})
	path := filepath.Join(root, "Dockerfile")
	var stdout, stderr bytes.Buffer
	Main([]string{"--targets", "dev", "--rule", "JSONArgsRecommended=error", path}, &stdout, &stderr)
	out := stdout.String()
	if strings.Contains(out, "UnusedStage") || !strings.Contains(out, "error: JSON arguments") {
		t.Errorf("output %q", out)
	}
	stdout.Reset()
	if code := Main([]string{"--rule", "Nope=off", path}, &stdout, &stderr); code != ExitUsage {
		t.Errorf("unknown rule: exit %d", code)
	}
}
