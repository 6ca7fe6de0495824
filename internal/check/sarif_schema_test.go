package check

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// sarifObject is the part of the SARIF 2.1.0 JSON schema
// (https://json.schemastore.org/sarif-2.1.0.json) that `check --format
// sarif` writes: each object's properties (the schema allows no others:
// additionalProperties is false), the required ones, and the kind of
// object each property holds.
type sarifObject struct {
	props    map[string]string // property -> object kind, "" for a value
	required []string
}

func props(kinds string) map[string]string {
	m := map[string]string{}
	for _, f := range strings.Fields(kinds) {
		name, kind, _ := strings.Cut(f, ":")
		m[name] = kind
	}
	return m
}

var sarifSchema = map[string]sarifObject{
	"log": {props("$schema version runs:[]run inlineExternalProperties properties"), []string{"version", "runs"}},
	"run": {props("tool:tool invocations conversion language versionControlProvenance originalUriBaseIds artifacts logicalLocations graphs results:[]result automationDetails runAggregates baselineGuid redactionTokens defaultEncoding defaultSourceLanguage newlineSequences columnKind externalPropertyFileReferences threadFlowLocations taxonomies addresses translations policies webRequests webResponses specialLocations properties"),
		[]string{"tool"}},
	"tool": {props("driver:component extensions properties"), []string{"driver"}},
	"component": {props("guid name organization product productSuite shortDescription:mfmessage fullDescription:mfmessage fullName version semanticVersion dottedQuadFileVersion releaseDateUtc downloadUri informationUri globalMessageStrings notifications rules:[]descriptor taxa locations language contents isComprehensive localizedDataSemanticVersion minimumRequiredLocalizedDataSemanticVersion associatedComponent translationMetadata supportedTaxonomies properties"),
		[]string{"name"}},
	"descriptor": {props("id deprecatedIds guid deprecatedGuids name deprecatedNames shortDescription:mfmessage fullDescription:mfmessage messageStrings defaultConfiguration:config helpUri help:mfmessage relationships properties:bag"),
		[]string{"id"}},
	"mfmessage": {props("text markdown properties"), []string{"text"}},
	"config":    {props("enabled level rank parameters properties"), nil},
	"bag":       {props("tags"), nil},
	"result": {props("ruleId ruleIndex rule kind level message:message analysisTarget locations:[]location guid correlationGuid occurrenceCount partialFingerprints fingerprints stacks codeFlows graphs graphTraversals relatedLocations:[]location suppressions baselineState rank attachments hostedViewerUri workItemUris provenance fixes:[]fix taxa webRequest webResponse properties"),
		[]string{"message"}},
	"message":     {props("text markdown id arguments properties"), nil},
	"location":    {props("id physicalLocation:physical logicalLocations message:message annotations relationships properties"), nil},
	"physical":    {props("address artifactLocation:artifact region:region contextRegion:region properties"), nil},
	"artifact":    {props("uri uriBaseId index description properties"), nil},
	"region":      {props("startLine startColumn endLine endColumn charOffset charLength byteOffset byteLength snippet message sourceLanguage properties"), nil},
	"fix":         {props("description:message artifactChanges:[]change properties"), []string{"artifactChanges"}},
	"change":      {props("artifactLocation:artifact replacements:[]replacement properties"), []string{"artifactLocation", "replacements"}},
	"replacement": {props("deletedRegion:region insertedContent:content properties"), []string{"deletedRegion"}},
	"content":     {props("text binary rendered properties"), nil},
}

// validateSARIF checks v, an object of the given kind, against
// sarifSchema and the schema's value constraints, and returns what is
// wrong, by JSON path.
func validateSARIF(kind, path string, v any) []string {
	obj, ok := v.(map[string]any)
	if !ok {
		return []string{path + ": not an object"}
	}
	s := sarifSchema[kind]
	var errs []string
	for _, r := range s.required {
		if _, ok := obj[r]; !ok {
			errs = append(errs, fmt.Sprintf("%s: %s lacks required %q", path, kind, r))
		}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		child, ok := s.props[k]
		p := path + "." + k
		if !ok {
			errs = append(errs, fmt.Sprintf("%s: %s allows no property %q", path, kind, k))
			continue
		}
		errs = append(errs, sarifValue(kind, k, p, obj[k])...)
		if elem, isArray := strings.CutPrefix(child, "[]"); isArray {
			arr, ok := obj[k].([]any)
			if !ok {
				errs = append(errs, p+": not an array")
				continue
			}
			if (k == "artifactChanges" || k == "replacements") && len(arr) == 0 {
				errs = append(errs, p+": empty (minItems 1)")
			}
			for i, e := range arr {
				errs = append(errs, validateSARIF(elem, fmt.Sprintf("%s[%d]", p, i), e)...)
			}
		} else if child != "" {
			errs = append(errs, validateSARIF(child, p, obj[k])...)
		}
	}
	if kind == "region" {
		sl, sc, el, ec := num(obj["startLine"]), num(obj["startColumn"]), num(obj["endLine"]), num(obj["endColumn"])
		if el < sl || el == sl && ec < sc {
			errs = append(errs, fmt.Sprintf("%s: region ends (%v:%v) before it starts (%v:%v)", path, el, ec, sl, sc))
		}
	}
	if kind == "message" || kind == "mfmessage" {
		if t, ok := obj["text"].(string); !ok || t == "" {
			errs = append(errs, path+": message without text")
		}
	}
	return errs
}

// sarifValue checks the constraints of the schema on a plain value.
func sarifValue(kind, key, path string, v any) []string {
	bad := func(why string) []string { return []string{fmt.Sprintf("%s: %v %s", path, v, why)} }
	switch {
	case kind == "log" && key == "version":
		if v != "2.1.0" {
			return bad("is not 2.1.0")
		}
	case kind == "run" && key == "columnKind":
		if v != "utf16CodeUnits" && v != "unicodeCodePoints" {
			return bad("is no column kind")
		}
	case (kind == "result" || kind == "config") && key == "level":
		if v != "none" && v != "note" && v != "warning" && v != "error" {
			return bad("is no level")
		}
	case kind == "region" && (key == "startLine" || key == "startColumn" || key == "endLine" || key == "endColumn"):
		if n, ok := v.(float64); !ok || n < 1 || n != float64(int(n)) {
			return bad("is no integer >= 1")
		}
	case kind == "result" && key == "ruleIndex", kind == "location" && key == "id":
		if n, ok := v.(float64); !ok || n < -1 || n != float64(int(n)) {
			return bad("is no integer >= -1")
		}
	case kind == "bag" && key == "tags":
		seen := map[any]bool{}
		for _, t := range v.([]any) {
			if _, ok := t.(string); !ok || seen[t] {
				return bad("has a tag twice or one that is not a string")
			}
			seen[t] = true
		}
	}
	return nil
}

func num(v any) float64 {
	n, _ := v.(float64)
	return n
}

// TestSARIFSchema writes SARIF for the hand-written parity files (with
// fixes, related places, CRLF, a BOM, heredocs and every BuildKit check)
// and for the corpus, and validates it against the schema's shape and
// constraints; results must name their rule by index too.
func TestSARIFSchema(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "buildkit-parity", "detail", "[a-z]*[a-z].Dockerfile"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no files: %v", err)
	}
	tree := map[string]string{}
	for name, text := range corpusSample(t, 60) {
		tree[name+".Dockerfile"] = text
	}
	root := writeTree(t, tree)
	files, _ := filepath.Glob(filepath.Join(root, "*.Dockerfile"))
	var stdout, stderr bytes.Buffer
	Main(append([]string{"--format", "sarif", "--no-workspace"}, append(paths, files...)...), &stdout, &stderr)
	var log map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &log); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stderr.String())
	}
	errs := validateSARIF("log", "$", log)
	for _, e := range errs[:min(len(errs), 20)] {
		t.Error(e)
	}
	run := log["runs"].([]any)[0].(map[string]any)
	ruleIDs := run["tool"].(map[string]any)["driver"].(map[string]any)["rules"].([]any)
	results := run["results"].([]any)
	fixes := 0
	for _, r := range results {
		res := r.(map[string]any)
		if id := ruleIDs[int(num(res["ruleIndex"]))].(map[string]any)["id"]; id != res["ruleId"] {
			t.Errorf("result %v has ruleIndex of %v", res["ruleId"], id)
		}
		if f, ok := res["fixes"].([]any); ok {
			fixes += len(f)
		}
	}
	if len(results) < 100 || fixes < 50 {
		t.Errorf("%d results with %d fixes: too few to say the output is valid", len(results), fixes)
	}
	t.Logf("%d results, %d fixes validated", len(results), fixes)
}

// TestSARIFSchemaCatches checks that the validator rejects what the
// schema rejects.
func TestSARIFSchemaCatches(t *testing.T) {
	for _, bad := range []string{
		`{"version":"2.1.0","runs":[],"extra":1}`,
		`{"version":"2.0.0","runs":[]}`,
		`{"version":"2.1.0","runs":[{"tool":{"driver":{}}}]}`,
		`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"level":"info"}]}]}`,
		`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"locations":[{"physicalLocation":{"region":{"startLine":2,"startColumn":5,"endLine":2,"endColumn":3}}}]}]}]}`,
		`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"fixes":[{"description":{"text":"d"},"artifactChanges":[{"artifactLocation":{"uri":"a"},"replacements":[]}]}]}]}]}`,
		`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"locations":[{"physicalLocation":{"region":{"startLine":0}}}]}]}]}`,
	} {
		var v any
		if err := json.Unmarshal([]byte(bad), &v); err != nil {
			t.Fatal(err)
		}
		if errs := validateSARIF("log", "$", v); len(errs) == 0 {
			t.Errorf("accepted %s", bad)
		}
	}
}

// corpusSample returns n corpus files, spread over the corpus in name
// order.
func corpusSample(t *testing.T, n int) map[string]string {
	corpus := testgen.Corpus(t)
	names := slices.Sorted(maps.Keys(corpus))
	out := map[string]string{}
	for i := 0; i < len(names); i += max(1, len(names)/n) {
		out[names[i]] = corpus[names[i]]
	}
	return out
}
