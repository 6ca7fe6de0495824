package server

// Marker tests: every testdata/**/*.txtar archive holds Dockerfiles whose
// whole-line comments of the form
//
//	# @name(arg, ...)
//
// state expectations about the next line that is not a marker. The runner
// opens every Dockerfile of an archive in a real server, connected over an
// in-memory pipe through the same JSON-RPC wiring as stdio, and checks each
// marker with the function markerKinds names. Markers stay in the text sent
// to the server: they are ordinary Dockerfile comments.
//
// Arguments are Go string literals ("..." or `...`), regular expressions
// (re"..."), integers and bare identifiers (names of golden sections).
// Archive files whose names begin with "@" are golden sections, not
// Dockerfiles: a marker compares a result with one through marker.golden,
// and `go test ./server -update` rewrites them.
//
// Adding a marker for a feature means adding a function of type markerFunc
// and naming it in markerKinds.

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/scanner"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"golang.org/x/tools/txtar"

	"github.com/stagehand-ls/stagehand/analysis"
)

var update = flag.Bool("update", false, "rewrite the golden sections of marker tests")

// markerFunc checks one marker.
type markerFunc func(m *marker)

// markerKinds maps a marker's name to the function that checks it.
var markerKinds = map[string]markerFunc{
	"diag":       diagMarker,
	"diags":      diagsMarker,
	"complete":   completeMarker,
	"codeaction": codeactionMarker,
	"fix":        fixMarker,
}

// ident is a bare identifier argument.
type ident string

// marker is one `# @name(args)` annotation.
type marker struct {
	run  *markerRun
	file *markerFile
	name string
	args []any
	line int // zero-based line of the marker itself
	// target is the zero-based line the marker annotates, or -1 when no
	// line follows it.
	target int
}

// markerFile is one Dockerfile of an archive, as opened in the server.
type markerFile struct {
	name    string
	uri     string
	doc     *analysis.Document
	diags   []protocol.Diagnostic // published for the opened version
	claimed []bool
}

// markerRun is the run of one archive.
type markerRun struct {
	t       *testing.T
	path    string
	archive *txtar.Archive
	update  bool
	client  *testClient
	files   []*markerFile
	changed bool // a golden section was rewritten
}

func TestMarkers(t *testing.T) {
	root := filepath.Join("..", "testdata")
	var paths []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".txtar") {
			paths = append(paths, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no marker tests found")
	}
	for _, path := range paths {
		name := filepath.ToSlash(strings.TrimSuffix(strings.TrimPrefix(path, root+string(filepath.Separator)), ".txtar"))
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runMarkerTest(t, path, *update)
		})
	}
}

// runMarkerTest runs the archive at path; with update set it rewrites the
// archive's golden sections instead of comparing them.
func runMarkerTest(t *testing.T, path string, update bool) {
	archive, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// An archive about CRLF files must hold some: one saved by an editor
	// or checked out with LF ends would pass without testing them.
	if strings.Contains(string(archive.Comment), "CRLF") && !slices.ContainsFunc(archive.Files, func(f txtar.File) bool {
		return bytes.Contains(f.Data, []byte("\r\n"))
	}) {
		t.Fatalf("%s says CRLF, but none of its files has a CRLF line end", path)
	}
	r := &markerRun{t: t, path: path, archive: archive, update: update, client: newTestClient(t)}
	// Archives under testdata/workspace are projects: their files are
	// written to disk and the server scans them as a workspace, so Compose,
	// Bake, workflow and script files can name the Dockerfiles' stages.
	// Archives under testdata/codeaction are written to disk too, so that
	// each Dockerfile's folder is its build context.
	root, workspace := "", strings.Contains(filepath.ToSlash(path), "/workspace/")
	onDisk := workspace || strings.Contains(filepath.ToSlash(path), "/codeaction/")
	if onDisk {
		root = writeArchive(t, archive)
	}
	var wc *workspaceClient
	if workspace {
		wc = newWorkspaceClient(t, archive, root)
		wc.initialize(r.client)
	} else {
		r.client.initialize()
	}

	base := strings.TrimSuffix(filepath.Base(path), ".txtar")
	for _, f := range archive.Files {
		if strings.HasPrefix(f.Name, "@") {
			continue
		}
		if onDisk && !workspace && languageOf(f.Name) != "dockerfile" {
			continue // a file of the build context
		}
		mf := &markerFile{name: f.Name, uri: "file:///markers/" + base + "/" + f.Name, doc: analysis.NewDocument(string(f.Data))}
		r.files = append(r.files, mf)
		if workspace {
			if wc.unopened[f.Name] {
				r.files = r.files[:len(r.files)-1]
				continue
			}
			mf.uri = string(uri.File(filepath.Join(root, f.Name)))
			r.client.openAs(mf.uri, languageOf(f.Name), string(f.Data))
			continue
		}
		if onDisk {
			mf.uri = string(uri.File(filepath.Join(root, f.Name)))
		}
		r.client.open(mf.uri, string(f.Data), 1)
	}
	if len(r.files) == 0 {
		t.Fatalf("%s holds no Dockerfile", path)
	}
	for _, mf := range r.files {
		mf.diags = r.client.diagnostics(mf.uri, 1)
	}
	if wc != nil && wc.after(r.client) {
		for _, mf := range r.files {
			mf.diags = r.client.diagnostics(mf.uri, 1) // the latest
		}
	}
	for _, mf := range r.files {
		mf.claimed = make([]bool, len(mf.diags))
	}

	for _, mf := range r.files {
		markers, errs := parseMarkers(mf.doc)
		for _, err := range errs {
			t.Errorf("%s:%v", mf.name, err)
		}
		for _, m := range markers {
			m.run, m.file = r, mf
			fn, ok := markerKinds[m.name]
			if !ok {
				m.errorf("unknown marker")
				continue
			}
			fn(m)
		}
	}

	for _, mf := range r.files {
		for i, d := range mf.diags {
			if !mf.claimed[i] {
				t.Errorf("%s: unclaimed diagnostic: %s", mf.name, formatDiagnostic(d))
			}
		}
	}
	if r.changed {
		if err := os.WriteFile(path, txtar.Format(archive), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated golden sections of %s", path)
	}
}

// writeArchive writes an archive's files, but its golden sections, to a
// new directory and returns it.
func writeArchive(t *testing.T, archive *txtar.Archive) string {
	t.Helper()
	root := t.TempDir()
	for _, f := range archive.Files {
		if strings.HasPrefix(f.Name, "@") {
			continue
		}
		p := filepath.Join(root, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// languageOf is the language id an editor gives a file of that name.
func languageOf(name string) string {
	base := strings.ToLower(filepath.Base(name))
	switch {
	case strings.Contains(base, "dockerfile") || strings.Contains(base, "containerfile"):
		return "dockerfile"
	case strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml"):
		return "yaml"
	case strings.HasSuffix(base, ".hcl"):
		return "hcl"
	case strings.HasSuffix(base, ".json"):
		return "json"
	case base == "makefile" || strings.HasSuffix(base, ".mk"):
		return "makefile"
	}
	return "shellscript"
}

// parseMarkers finds the markers in doc.
func parseMarkers(doc *analysis.Document) ([]*marker, []error) {
	var markers, pending []*marker
	var errs []error
	for line := 0; line < doc.LineCount(); line++ {
		text := doc.Slice(analysis.Span{Start: doc.LineStart(line), End: doc.LineEnd(line)})
		body, ok := markerBody(text)
		if !ok {
			for _, m := range pending {
				m.target = line
			}
			pending = pending[:0]
			continue
		}
		ms, err := parseMarkerLine(body)
		if err != nil {
			errs = append(errs, fmt.Errorf("%d: %v", line+1, err))
		}
		for _, m := range ms {
			m.line, m.target = line, -1
			markers = append(markers, m)
			pending = append(pending, m)
		}
	}
	return markers, errs
}

// markerBody returns the text after "#" of a whole-line comment that holds
// markers.
func markerBody(line string) (string, bool) {
	s := strings.TrimSpace(line)
	if !strings.HasPrefix(s, "#") {
		return "", false
	}
	s = strings.TrimSpace(s[1:])
	return s, strings.HasPrefix(s, "@")
}

// parseMarkerLine parses `@name(args) @name(args)...`.
func parseMarkerLine(text string) ([]*marker, error) {
	var sc scanner.Scanner
	sc.Init(strings.NewReader(text))
	sc.Mode = scanner.ScanIdents | scanner.ScanInts | scanner.ScanStrings | scanner.ScanRawStrings
	var scanErr error
	sc.Error = func(_ *scanner.Scanner, msg string) {
		if scanErr == nil {
			scanErr = fmt.Errorf("%s", msg)
		}
	}
	var out []*marker
	tok := sc.Scan()
	for tok != scanner.EOF {
		if tok != '@' {
			return out, fmt.Errorf("want @name(...), found %q", sc.TokenText())
		}
		if sc.Scan() != scanner.Ident {
			return out, fmt.Errorf("want a marker name after @, found %q", sc.TokenText())
		}
		m := &marker{name: sc.TokenText()}
		if sc.Scan() != '(' {
			return out, fmt.Errorf("@%s: want (", m.name)
		}
		tok = sc.Scan()
		for tok != ')' {
			arg, err := parseArg(&sc, tok)
			if err != nil {
				return out, fmt.Errorf("@%s: %v", m.name, err)
			}
			m.args = append(m.args, arg)
			switch tok = sc.Scan(); tok {
			case ',':
				tok = sc.Scan()
			case ')':
			default:
				return out, fmt.Errorf("@%s: want , or ) after an argument, found %q", m.name, sc.TokenText())
			}
		}
		out = append(out, m)
		tok = sc.Scan()
	}
	return out, scanErr
}

func parseArg(sc *scanner.Scanner, tok rune) (any, error) {
	switch tok {
	case scanner.String, scanner.RawString:
		return strconv.Unquote(sc.TokenText())
	case scanner.Int:
		return strconv.Atoi(sc.TokenText())
	case scanner.Ident:
		name := sc.TokenText()
		if name == "re" && (sc.Peek() == '"' || sc.Peek() == '`') {
			sc.Scan()
			pat, err := strconv.Unquote(sc.TokenText())
			if err != nil {
				return nil, err
			}
			return regexp.Compile(pat)
		}
		return ident(name), nil
	}
	return nil, fmt.Errorf("unexpected %q", sc.TokenText())
}

// errorf reports a failed expectation at the marker.
func (m *marker) errorf(format string, args ...any) {
	m.run.t.Helper()
	m.run.t.Errorf("%s:%d: @%s: %s", m.file.name, m.line+1, m.name, fmt.Sprintf(format, args...))
}

// targetSpan returns the span of the annotated line.
func (m *marker) targetSpan() (analysis.Span, bool) {
	if m.target < 0 {
		m.errorf("no line follows the marker")
		return analysis.Span{}, false
	}
	d := m.file.doc
	return analysis.Span{Start: d.LineStart(m.target), End: d.LineEnd(m.target)}, true
}

// locate returns the offset in the file of the first match of pat (a string
// or a regexp) in the annotated line.
func (m *marker) locate(pat any) (int, bool) {
	span, ok := m.targetSpan()
	if !ok {
		return 0, false
	}
	line := m.file.doc.Slice(span)
	i := -1
	switch p := pat.(type) {
	case string:
		i = strings.Index(line, p)
	case *regexp.Regexp:
		if loc := p.FindStringIndex(line); loc != nil {
			i = loc[0]
		}
	default:
		m.errorf("a location must be a string or re\"...\", not %T", pat)
		return 0, false
	}
	if i < 0 {
		m.errorf("%v not found in %q", pat, line)
		return 0, false
	}
	return span.Start + i, true
}

// position converts an offset in the file to a protocol position, counted
// in UTF-16 as the runner's client negotiates.
func (m *marker) position(off int) protocol.Position {
	p := m.file.doc.Position(off, analysis.UTF16)
	return protocol.Position{Line: uint32(p.Line), Character: uint32(p.Col)}
}

// matches reports whether s satisfies want, a substring or a regexp.
func matches(want any, s string) bool {
	switch w := want.(type) {
	case string:
		return strings.Contains(s, w)
	case *regexp.Regexp:
		return w.MatchString(s)
	}
	return false
}

// golden compares got with the archive's golden section "@name"; when the
// run updates, it rewrites the section instead (adding it if missing).
func (m *marker) golden(name string, got string) {
	m.run.t.Helper()
	section := "@" + name
	a := m.run.archive
	i := slices.IndexFunc(a.Files, func(f txtar.File) bool { return f.Name == section })
	if m.run.update {
		switch {
		case i < 0:
			a.Files = append(a.Files, txtar.File{Name: section, Data: []byte(got)})
		case string(a.Files[i].Data) != got:
			a.Files[i].Data = []byte(got)
		default:
			return
		}
		m.run.changed = true
		return
	}
	if i < 0 {
		m.errorf("no golden section %s; run go test ./server -update to create it", section)
		return
	}
	if want := string(a.Files[i].Data); want != got {
		m.errorf("result differs from %s (run with -update to accept it):\nwant:\n%sgot:\n%s", section, want, got)
	}
}

// diagMarker checks @diag(message) and @diag(location, message): a
// diagnostic starts on the annotated line (at the first match of location,
// when given) and its message contains the string or matches the regexp.
// It claims the first such diagnostic not yet claimed.
func diagMarker(m *marker) {
	var loc, msg any
	switch len(m.args) {
	case 1:
		msg = m.args[0]
	case 2:
		loc, msg = m.args[0], m.args[1]
	default:
		m.errorf("want (message) or (location, message)")
		return
	}
	var start *protocol.Position
	if loc != nil {
		off, ok := m.locate(loc)
		if !ok {
			return
		}
		p := m.position(off)
		start = &p
	} else if _, ok := m.targetSpan(); !ok {
		return
	}
	var onLine []string
	for i, d := range m.file.diags {
		if int(d.Range.Start.Line) != m.target {
			continue
		}
		onLine = append(onLine, formatDiagnostic(d))
		if m.file.claimed[i] || (start != nil && d.Range.Start != *start) || !matches(msg, messageText(d)) {
			continue
		}
		m.file.claimed[i] = true
		return
	}
	want := fmt.Sprintf("message %v", msg)
	if start != nil {
		want = fmt.Sprintf("%d:%d with %s", start.Line+1, start.Character+1, want)
	}
	m.errorf("no unclaimed diagnostic on line %d at %s; the line has %q", m.target+1, want, onLine)
}

// diagsMarker checks @diags(name): all the file's diagnostics, rendered one
// a line, equal the golden section "@name". It claims them all.
func diagsMarker(m *marker) {
	if len(m.args) != 1 {
		m.errorf("want (golden-section-name)")
		return
	}
	name, ok := m.args[0].(ident)
	if !ok {
		m.errorf("the argument must be a bare name")
		return
	}
	var b strings.Builder
	for i, d := range m.file.diags {
		fmt.Fprintln(&b, formatDiagnostic(d))
		m.file.claimed[i] = true
	}
	m.golden(string(name), b.String())
}

// formatDiagnostic renders d with 1-based positions.
func formatDiagnostic(d protocol.Diagnostic) string {
	code := ""
	if s, ok := d.Code.(protocol.String); ok {
		code = " [" + string(s) + "]"
	}
	sev := map[protocol.DiagnosticSeverity]string{
		protocol.DiagnosticSeverityError: "error", protocol.DiagnosticSeverityWarning: "warning",
		protocol.DiagnosticSeverityInformation: "info", protocol.DiagnosticSeverityHint: "hint",
	}[d.Severity]
	r := d.Range
	return fmt.Sprintf("%d:%d-%d:%d %s: %s%s", r.Start.Line+1, r.Start.Character+1, r.End.Line+1, r.End.Character+1, sev, messageText(d), code)
}

func messageText(d protocol.Diagnostic) string {
	switch msg := d.Message.(type) {
	case protocol.String:
		return string(msg)
	case *protocol.MarkupContent:
		return msg.Value
	}
	return ""
}
