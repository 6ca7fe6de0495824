package rules

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
)

// BuildKit parity in detail, on hand-written files in styles the corpus
// lacks (heredocs, the backtick escape with CRLF and a BOM, `# syntax=` and
// `# check=` directives, ARG-built FROMs, --platform, ONBUILD) and on
// variants of them with `# check=` directives and comments placed above
// their findings and stages. tools/buildkit-parity -detail runs BuildKit's
// own linter on every *.Dockerfile of testdata/buildkit-parity/detail and
// writes each warning's rule, lines and message; this test requires the
// same rule with the same message on the same lines from our
// BuildKit-named rules, as warnings, or as errors where BuildKit's
// `error=true` fails the build over exactly the rules we report.
//
// To regenerate: STAGEHAND_UPDATE_PARITY=1 go test -run TestBuildKitParityDetail
// ./analysis/rules (writes the variants), then the tool (see its doc).

const detailDir = parityDir + "/detail"

// bkWarning is one warning of BuildKit's linter.
type bkWarning struct {
	first, last int // lines, 1-based
	rule, msg   string
}

func TestBuildKitParityDetail(t *testing.T) {
	bases, err := filepath.Glob(filepath.Join(detailDir, "*.Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, b := range bases {
		if !strings.Contains(filepath.Base(b), "~") {
			files = append(files, b)
		}
	}
	if len(files) == 0 {
		t.Fatalf("no files in %s", detailDir)
	}
	want := map[string]bool{}
	for _, base := range files {
		text, err := os.ReadFile(base)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range checkVariants(string(text)) {
			name := fmt.Sprintf("%s~%02d.Dockerfile", strings.TrimSuffix(base, ".Dockerfile"), i+1)
			want[name] = true
			if updateParity {
				if err := os.WriteFile(name, []byte(v), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			got, err := os.ReadFile(name)
			if err != nil || string(got) != v {
				t.Errorf("%s is missing or stale: regenerate the variants and their goldens (see the test's doc)", name)
			}
		}
	}
	for _, b := range bases {
		if strings.Contains(filepath.Base(b), "~") && !want[b] {
			if updateParity {
				os.Remove(b)
				os.Remove(b + ".txt")
			} else {
				t.Errorf("%s is no variant any longer: remove it", b)
			}
		}
	}
	if updateParity {
		return
	}
	explained := readDifferencesFile(t, filepath.Join(detailDir, "DIFFERENCES"))
	seen := map[string]bool{}
	n := 0
	for _, f := range append(files, sortedKeys(want)...) {
		for _, d := range detailDiffs(t, f) {
			n++
			key := differenceKey(d)
			seen[key] = true
			if _, ok := explained[key]; !ok {
				t.Errorf("difference (- BuildKit only, + Stagehand only): %s", d)
			}
		}
	}
	for d := range explained {
		if !seen[d] {
			t.Errorf("listed difference no longer occurs; remove it from detail/DIFFERENCES: %s", d)
		}
	}
	t.Logf("%d files (%d hand-written), %d differences, all listed", len(files)+len(want), len(files), n)
}

// detailDiffs compares our BuildKit-named findings on the Dockerfile at
// path with BuildKit's golden beside it, as "file line rule +|- message"
// lines (line: BuildKit's first for its warnings, ours for ours).
func detailDiffs(t *testing.T, path string) []string {
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	warnings, failed, buildErr := readDetailGolden(t, path+".txt")
	ix := analysis.Parse(analysis.NewDocument(string(text)))
	name := filepath.Base(path)
	var diffs []string
	if buildErr != nil {
		// BuildKit's warnings stop at the error: compare the error alone,
		// which we report as a parse error.
		for _, d := range Run(ix, nil) {
			// BuildKit gives a bad check directive no location.
			if d.Rule == ParseError && d.Message == buildErr.msg && (buildErr.first == 0 || ix.Doc.LineOf(d.Span.Start)+1 == buildErr.first) {
				return nil
			}
		}
		return []string{fmt.Sprintf("%s %d %s - %s", name, buildErr.first, "error", buildErr.msg)}
	}
	wantSev := Warning
	if failed != nil {
		wantSev = Error
	}
	ours := map[string]bool{}
	var mine []placed
	for _, d := range Run(ix, nil) {
		if r := Lookup(d.Rule); r != nil && r.BuildKit {
			for _, line := range buildkitLines(ix, d) {
				mine = append(mine, placed{d, line})
			}
			ours[d.Rule] = true
			if d.Severity != wantSev {
				diffs = append(diffs, fmt.Sprintf("%s %d %s + severity %s, want %s", name, ix.Doc.LineOf(d.Span.Start)+1, d.Rule, d.Severity, wantSev))
			}
		}
	}
	if failed != nil {
		// The build fails over the rules reported, as BuildKit's error
		// lists them.
		for _, r := range sortedKeys(failed) {
			if !ours[r] {
				diffs = append(diffs, fmt.Sprintf("%s 0 error=true - %s", name, r))
			}
		}
		for _, r := range sortedKeys(ours) {
			if !failed[r] {
				diffs = append(diffs, fmt.Sprintf("%s 0 error=true + %s", name, r))
			}
		}
	}
	used := make([]bool, len(mine))
	for _, w := range warnings {
		found := false
		for i, d := range mine {
			if line := d.line; !used[i] && d.Rule == w.rule && d.Message == w.msg && line >= w.first && line <= w.last {
				used[i], found = true, true
				break
			}
		}
		if !found {
			diffs = append(diffs, fmt.Sprintf("%s %d %s - %s", name, w.first, w.rule, w.msg))
		}
	}
	for i, d := range mine {
		if !used[i] {
			diffs = append(diffs, fmt.Sprintf("%s %d %s + %s", name, d.line, d.Rule, d.Message))
		}
	}
	return diffs
}

// placed is one of our findings at a line where BuildKit would report it.
type placed struct {
	Diagnostic
	line int // 1-based
}

// buildkitLines returns the lines, 1-based, where BuildKit reports d: the
// FROM of each stage that runs the ONBUILD trigger d is on (TriggerRun),
// else d's own line.
func buildkitLines(ix *analysis.Index, d Diagnostic) []int {
	var out []int
	for _, r := range d.Related {
		if TriggerRun(r) {
			out = append(out, ix.Doc.LineOf(r.Span.Start)+1)
		}
	}
	if len(out) == 0 {
		out = append(out, ix.Doc.LineOf(d.Span.Start)+1)
	}
	return out
}

// readDetailGolden reads the tool's -detail output: "l:c-l:c[,...] rule\tmsg"
// lines, and "error <location>\t<msg>" for a failed build. failed holds
// the rules of a lint failure (`error=true`), buildErr any other build
// error (its rule is "error").
func readDetailGolden(t *testing.T, path string) (out []bkWarning, failed map[string]bool, buildErr *bkWarning) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v: run tools/buildkit-parity -detail", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		head, msg, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			t.Fatalf("%s: bad line %q", path, sc.Text())
		}
		loc, rule, _ := strings.Cut(head, " ")
		if loc == "error" {
			rules, ok := strings.CutPrefix(msg, "lint violation found for rules: ")
			if !ok {
				buildErr = &bkWarning{rule: "error", msg: msg}
				buildErr.first, _ = strconv.Atoi(strings.Split(rule, ":")[0])
				continue
			}
			failed = map[string]bool{}
			for _, r := range strings.Split(rules, ", ") {
				failed[r] = true
			}
			continue
		}
		w := bkWarning{rule: rule, msg: msg, first: -1}
		for _, r := range strings.Split(loc, ",") {
			from, to, _ := strings.Cut(r, "-")
			a, err1 := strconv.Atoi(strings.Split(from, ":")[0])
			b, err2 := strconv.Atoi(strings.Split(to, ":")[0])
			if err1 != nil || err2 != nil {
				t.Fatalf("%s: bad location %q", path, loc)
			}
			if w.first < 0 || a < w.first {
				w.first = a
			}
			w.last = max(w.last, b)
		}
		out = append(out, w)
	}
	return out, failed, buildErr
}

// checkVariants returns text with its keywords in other casings (see
// casingVariants) and with `# check=` comments and directives added: above
// each instruction with a BuildKit-named finding, skipping that rule (and
// above the instruction a finding relates to); above each FROM, skipping
// every rule found, or all, or setting error=true; and, when text has no
// check directive, file-level skip and error directives.
func checkVariants(text string) []string {
	ix := analysis.Parse(analysis.NewDocument(text))
	doc := ix.Doc
	nl := analysis.Newline(doc)
	insert := func(off int, line string) string { return text[:off] + line + nl + text[off:] }
	lineOf := func(off int) int { return doc.LineStart(doc.LineOf(off)) }
	var out []string
	seen := map[string]bool{}
	add := func(v string) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	var rules []string
	for _, d := range Run(ix, nil) {
		r := Lookup(d.Rule)
		if r == nil || !r.BuildKit {
			continue
		}
		if !seen["rule "+d.Rule] {
			seen["rule "+d.Rule] = true
			rules = append(rules, d.Rule)
		}
		places := []int{d.Span.Start}
		for _, rel := range d.Related {
			places = append(places, rel.Span.Start)
		}
		for _, at := range places {
			if n, ok := ix.NodeBefore(at); ok {
				add(insert(lineOf(n.Start), "# check=skip="+d.Rule))
			}
		}
	}
	for _, v := range casingVariants(ix) {
		add(v)
	}
	if len(rules) == 0 {
		return out
	}
	for s := 0; s < ix.StageCount(); s++ {
		from := lineOf(ix.Node(ix.Stage(s).First).Start)
		add(insert(from, "# check=skip="+strings.Join(rules, ",")))
		add(insert(from, "# check=skip=all"))
		add(insert(from, "# check=error=true"))
	}
	for _, d := range ix.Directives {
		if d.Name == "check" {
			return out
		}
	}
	top := 0
	if strings.HasPrefix(text, "\uFEFF") {
		top = len("\uFEFF")
	}
	add(insert(top, "# check=skip=all"))
	add(insert(top, "# check=error=true"))
	add(insert(top, "# check=skip="+rules[0]+";error=true"))
	if len(rules) > 1 {
		add(insert(top, "# check=skip="+rules[1]+", "+rules[0]))
	}
	return out
}

// differenceKey is how detail/DIFFERENCES names a difference "file line
// rule sign message": by the hand-written file, without the line, so that
// one entry covers the file's variants.
func differenceKey(d string) string {
	f := strings.SplitN(d, " ", 3)
	base, _, _ := strings.Cut(f[0], "~")
	return strings.TrimSuffix(base, ".Dockerfile") + " " + f[2]
}

// casingVariants returns the text of ix with its keywords in other
// casings: all lower case; the first instruction of each stage lower case
// (a minority, or the majority in short stages); each FROM's AS flipped.
func casingVariants(ix *analysis.Index) []string {
	text := ix.Doc.Text()
	var lower, firsts, as []analysis.Edit
	for i := 0; i < ix.Len(); i++ {
		n := ix.Node(i)
		kw := n.Abs(n.Keyword.Span)
		lower = append(lower, analysis.Edit{Span: kw, Text: strings.ToLower(n.Keyword.Value)})
		if s := ix.StageOf(n.Index); s >= 0 && ix.Stage(s).First+1 == n.Index {
			firsts = append(firsts, analysis.Edit{Span: kw, Text: strings.ToLower(n.Keyword.Value)})
		}
		if n.As != nil {
			flipped := strings.ToUpper(n.As.Value)
			if flipped == n.As.Value {
				flipped = strings.ToLower(n.As.Value)
			}
			as = append(as, analysis.Edit{Span: n.Abs(n.As.Span), Text: flipped})
		}
	}
	var out []string
	for _, edits := range [][]analysis.Edit{lower, firsts, as} {
		if v, err := analysis.ApplyEdits(text, edits); err == nil && len(edits) > 0 && v != text {
			out = append(out, v)
		}
	}
	return out
}

// readDifferencesFile reads a list of explained differences: lines
// "file line rule +|- reason", blank lines and # comments.
func readDifferencesFile(t *testing.T, path string) map[string]explanation {
	out := map[string]explanation{}
	text, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(text), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, reason, ok := strings.Cut(line, " # ")
		if !ok || strings.TrimSpace(reason) == "" {
			t.Fatalf("%s:%d: want \"<difference> # reason\", got %q", path, i+1, line)
		}
		e := out[key]
		e.count++
		e.reason = reason
		out[key] = e
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
