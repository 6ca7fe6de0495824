package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.lsp.dev/protocol"
	"golang.org/x/tools/txtar"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
	"github.com/stagehand-ls/stagehand/internal/check"
)

// TestCheckAgreesWithServer runs `stagehand check` and the server on every
// workspace archive: both must report the same diagnostics in the
// Dockerfiles and in the files naming targets, since both see the same
// project. The markers in the
// archives pin what the server says; this pins the CLI to it: every
// format, with the whole range in the units each documents (json, text
// and github: characters; sarif: UTF-16 code units, as its columnKind says; the LSP:
// UTF-16), and a byte order mark no column, as editors send the text
// without it.
func TestCheckAgreesWithServer(t *testing.T) {
	eachWorkspaceArchive(t, func(t *testing.T, archive *txtar.Archive, root string, c *testClient) {
		var server, server16, serverText, serverGitHub []string
		for _, f := range archive.Files {
			if f.Name[0] == '@' {
				continue
			}
			u := fileURI(root, f.Name)
			text := strings.TrimPrefix(string(f.Data), "\uFEFF")
			c.openAs(u, languageOf(f.Name), text)
			if !workspace.IsDockerfile(f.Name) && workspace.Classify(f.Name) == workspace.NotTargets && !workspace.MayNameTargets(f.Name) && !workspace.IsReadThrough(f.Name) {
				continue
			}
			doc := analysis.NewDocument(text)
			chars := func(p protocol.Position) analysis.Position {
				off, _ := doc.Offset(analysis.Position{Line: int(p.Line), Col: int(p.Character)}, analysis.UTF16)
				return doc.Position(off, analysis.UTF32)
			}
			for _, d := range c.diagnostics(u, 1) {
				code, _ := d.Code.(protocol.String)
				sev := map[protocol.DiagnosticSeverity]string{
					protocol.DiagnosticSeverityError: "error", protocol.DiagnosticSeverityWarning: "warning",
					protocol.DiagnosticSeverityInformation: "information", protocol.DiagnosticSeverityHint: "hint",
				}[d.Severity]
				msg := string(d.Message.(protocol.String))
				a, b := chars(d.Range.Start), chars(d.Range.End)
				server = append(server, fmt.Sprintf("%s:%d:%d-%d:%d: %s %s %s", f.Name, a.Line+1, a.Col+1, b.Line+1, b.Col+1, sev, code, msg))
				server16 = append(server16, fmt.Sprintf("%s:%d:%d-%d:%d: %s %s %s", f.Name, d.Range.Start.Line+1, d.Range.Start.Character+1,
					d.Range.End.Line+1, d.Range.End.Character+1, sarifLevels[sev], code, msg))
				serverText = append(serverText, fmt.Sprintf("%s:%d:%d: %s: %s [%s]", f.Name, a.Line+1, a.Col+1, sev, msg, code))
				serverGitHub = append(serverGitHub, fmt.Sprintf("%s:%d:%d-%d:%d: %s %s %s", f.Name, a.Line+1, a.Col+1, b.Line+1, b.Col+1, githubLevels[sev], code, msg))
			}
		}
		rel := func(path string) string {
			r, _ := filepath.Rel(root, path)
			return filepath.ToSlash(r)
		}
		var stdout, stderr bytes.Buffer
		check.Main([]string{"--format=json", "--root", root, root}, &stdout, &stderr)
		var findings []check.Finding
		if err := json.Unmarshal(stdout.Bytes(), &findings); err != nil {
			t.Fatalf("check output: %v\n%s\n%s", err, stdout.String(), stderr.String())
		}
		var cli []string
		for _, f := range findings {
			cli = append(cli, fmt.Sprintf("%s:%d:%d-%d:%d: %s %s %s", rel(f.Path), f.Line, f.Column, f.EndLine, f.EndColumn, f.Severity, f.Rule, f.Message))
		}
		if len(server) == 0 {
			t.Error("the server reported nothing: the archive should hold a reported stage")
		}
		agree(t, "json", server, cli)

		stdout.Reset()
		check.Main([]string{"--format=sarif", "--root", root, root}, &stdout, &stderr)
		var log struct {
			Runs []struct {
				ColumnKind string
				Results    []struct {
					RuleID, Level string
					Message       struct{ Text string }
					Locations     []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string }
							Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
						}
					}
				}
			}
		}
		if err := json.Unmarshal(stdout.Bytes(), &log); err != nil || len(log.Runs) != 1 || log.Runs[0].ColumnKind != "utf16CodeUnits" {
			t.Fatalf("sarif output (%v): want one run with columnKind utf16CodeUnits:\n%s", err, stdout.String())
		}
		var sarif []string
		for _, r := range log.Runs[0].Results {
			if len(r.Locations) != 1 {
				t.Fatalf("sarif result %s with %d locations, want 1", r.RuleID, len(r.Locations))
			}
			l := r.Locations[0].PhysicalLocation
			u, err := url.Parse(l.ArtifactLocation.URI)
			if err != nil || u.Scheme != "file" {
				t.Fatalf("sarif uri %q: want a file URI for an absolute path", l.ArtifactLocation.URI)
			}
			g := l.Region
			sarif = append(sarif, fmt.Sprintf("%s:%d:%d-%d:%d: %s %s %s", rel(filepath.FromSlash(u.Path)), g.StartLine, g.StartColumn, g.EndLine, g.EndColumn, r.Level, r.RuleID, r.Message.Text))
		}
		agree(t, "sarif", server16, sarif)

		stdout.Reset()
		check.Main([]string{"--root", root, root}, &stdout, &stderr)
		var text []string
		for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
			if line != "" {
				path, rest, _ := strings.Cut(line, ":")
				text = append(text, rel(path)+":"+rest)
			}
		}
		agree(t, "text", serverText, text)

		stdout.Reset()
		check.Main([]string{"--format=github", "--root", root, root}, &stdout, &stderr)
		var github []string
		for _, line := range strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n") {
			if line == "" {
				continue
			}
			a, err := parseAnnotation(line)
			if err != nil {
				t.Fatalf("check --format=github: %v: %q", err, line)
			}
			github = append(github, fmt.Sprintf("%s:%s:%s-%s:%s: %s %s %s", rel(a.props["file"]), a.props["line"], a.props["col"],
				a.props["endLine"], a.props["endColumn"], a.level, a.props["title"], a.message))
		}
		agree(t, "github", serverGitHub, github)
	})
}

// githubLevels maps our severities to GitHub's workflow commands.
var githubLevels = map[string]string{"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}

// annotation is a GitHub Actions workflow command, unescaped.
type annotation struct {
	level, message string
	props          map[string]string
}

// parseAnnotation reads `::level k=v,k=v::message` as GitHub's runner
// does: the properties split at commas and at their first `=`, then %25,
// %0D, %0A, %3A and %2C decoded (in the message %25, %0D and %0A only).
func parseAnnotation(line string) (annotation, error) {
	rest, ok := strings.CutPrefix(line, "::")
	if !ok {
		return annotation{}, fmt.Errorf("no leading ::")
	}
	head, msg, ok := strings.Cut(rest, "::")
	if !ok {
		return annotation{}, fmt.Errorf("no :: before the message")
	}
	level, props, _ := strings.Cut(head, " ")
	a := annotation{level: level, props: map[string]string{}}
	decode := func(s string, property bool) string {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			if s[i] == '%' && i+2 < len(s) {
				code := s[i+1 : i+3]
				c, known := map[string]byte{"25": '%', "0D": '\r', "0A": '\n', "3A": ':', "2C": ','}[code]
				if known && (property || c == '%' || c == '\r' || c == '\n') {
					b.WriteByte(c)
					i += 2
					continue
				}
			}
			b.WriteByte(s[i])
		}
		return b.String()
	}
	for _, p := range strings.Split(props, ",") {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			return annotation{}, fmt.Errorf("property %q without =", p)
		}
		a.props[k] = decode(v, true)
	}
	a.message = decode(msg, false)
	return a, nil
}

// sarifLevels maps our severities to SARIF's levels, as check writes them.
var sarifLevels = map[string]string{"error": "error", "warning": "warning", "information": "note", "hint": "note"}

// agree fails when the server's diagnostics and check's, rendered alike,
// are not the same.
func agree(t *testing.T, format string, server, cli []string) {
	t.Helper()
	sort.Strings(server)
	sort.Strings(cli)
	if d := cmp.Diff(server, cli); d != "" {
		t.Errorf("server (-) and check --format=%s (+) disagree:\n%s", format, d)
	}
}
