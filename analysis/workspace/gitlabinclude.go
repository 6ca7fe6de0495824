package workspace

import (
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/confined"
)

// glConfig is a GitLab CI configuration as GitLab reads it: a file and
// the local files it includes (`include: 'ci/build.yml'`, `- local:`,
// with wildcards), merged as GitLab merges them: the included files in
// order, then the including file over them, key by key, mappings deeply.
// The merged mapping holds the files' own nodes, each of which keeps the
// file it is written in.
type glConfig struct {
	root *yaml.Node
	main *yamlDoc
	file string // the main file's
	// docs gives the file of each node of an included file (the nodes of
	// the main file are not in it).
	docs map[*yaml.Node]glDoc
	// included are the files included, read or not (a missing one may be
	// created); not those a wildcard may match later.
	included []string
}

type glDoc struct {
	d    *yamlDoc
	file string
}

// glMaxIncludes bounds the files a configuration includes, as GitLab
// does (150).
const glMaxIncludes = 150

// gitlabConfig reads the configuration whose main file d is, including
// the local files it names, relative to the project folder root (a
// leading / too), read from src. Remote, project, template and component
// includes cannot be read offline and are left out.
func gitlabConfig(src source, d *yamlDoc, file, root string) *glConfig {
	cfg := &glConfig{root: d.root, main: d, file: file}
	if _, inc := get(d.root, "include"); inc == nil {
		return cfg
	}
	cfg.docs = map[*yaml.Node]glDoc{}
	seen := map[string]bool{file: true}
	var merged func(d *yamlDoc, depth int) *yaml.Node
	merged = func(d *yamlDoc, depth int) *yaml.Node {
		_, inc := get(d.root, "include")
		var base *yaml.Node
		for _, name := range gitlabLocalIncludes(inc) {
			if pat := gitlabIncludePattern(src, root, name); pat != "" && !seen[pat] {
				// A file created where it matches re-reads this one.
				seen[pat] = true
				cfg.included = append(cfg.included, pat)
			}
			for _, p := range gitlabIncludePaths(src, root, name) {
				if seen[p] || len(cfg.included) >= glMaxIncludes {
					continue
				}
				seen[p] = true
				cfg.included = append(cfg.included, p)
				data, err := src.read(p, DefaultLimits.MaxSize)
				if err != nil || len(data) > int(DefaultLimits.MaxSize) {
					continue
				}
				od, ok := parseYAML(string(data))
				if !ok || od.root.Kind != yaml.MappingNode {
					continue
				}
				markDoc(od.root, glDoc{od, p}, cfg.docs, 0)
				own := od.root
				if depth < 100 {
					own = merged(od, depth+1)
				}
				base = mergeYAML(base, own)
			}
		}
		return mergeYAML(base, d.root)
	}
	cfg.root = merged(d, 0)
	return cfg
}

// markDoc records that n and the nodes under it are doc's.
func markDoc(n *yaml.Node, doc glDoc, docs map[*yaml.Node]glDoc, depth int) {
	if n == nil || depth > 64 {
		return
	}
	if _, done := docs[n]; done {
		return
	}
	docs[n] = doc
	for _, c := range n.Content {
		markDoc(c, doc, docs, depth+1)
	}
}

// mergeYAML merges mapping over base, key by key, a key both map to
// mappings merged in turn; any other value of over replaces base's.
func mergeYAML(base, over *yaml.Node) *yaml.Node {
	base, over = resolve(base), resolve(over)
	if base == nil || base.Kind != yaml.MappingNode || over == nil || over.Kind != yaml.MappingNode {
		if over == nil {
			return base
		}
		return over
	}
	out := &yaml.Node{Kind: yaml.MappingNode, Tag: over.Tag, Line: over.Line, Column: over.Column}
	overKeys := map[string]int{}
	for i := 0; i+1 < len(over.Content); i += 2 {
		if over.Content[i].Tag != "!!merge" {
			overKeys[over.Content[i].Value] = i
		}
	}
	for i := 0; i+1 < len(base.Content); i += 2 {
		k := base.Content[i]
		if j, both := overKeys[k.Value]; both && k.Tag != "!!merge" {
			if b, o := resolve(base.Content[i+1]), resolve(over.Content[j+1]); b != nil && o != nil && b.Kind == yaml.MappingNode && o.Kind == yaml.MappingNode && o.Tag != "!reference" {
				over = withValue(over, j+1, mergeYAML(b, o))
			}
			continue
		}
		out.Content = append(out.Content, k, base.Content[i+1])
	}
	out.Content = append(out.Content, over.Content...)
	return out
}

// withValue is mapping m with its i-th content node replaced (a copy).
func withValue(m *yaml.Node, i int, v *yaml.Node) *yaml.Node {
	c := *m
	c.Content = append([]*yaml.Node(nil), m.Content...)
	c.Content[i] = v
	return &c
}

// gitlabLocalIncludes returns the local file names an include: names: a
// string (not a URL), a list of them, or `local:` entries.
func gitlabLocalIncludes(inc *yaml.Node) []string {
	inc = resolve(inc)
	if inc == nil {
		return nil
	}
	items := []*yaml.Node{inc}
	if inc.Kind == yaml.SequenceNode {
		items = inc.Content
	}
	var out []string
	for _, it := range items {
		it = resolve(it)
		switch {
		case it == nil:
		case it.Kind == yaml.ScalarNode:
			if s := it.Value; s != "" && !strings.Contains(s, "://") {
				out = append(out, s)
			}
		case it.Kind == yaml.MappingNode:
			if _, l := get(it, "local"); scalar(l) != "" {
				out = append(out, scalar(l))
			}
		}
	}
	return out
}

// gitlabIncludePaths are the files a local include names: a path from the
// project folder (with or without a leading /), or a pattern where `*`
// matches within a folder name and `**` across folders, as GitLab
// matches them. A missing file is still given, so that its creation
// re-reads the including file.
func gitlabIncludePaths(src source, root, name string) []string {
	rel := strings.TrimPrefix(filepath.ToSlash(name), "/")
	if strings.Contains(rel, "$") {
		return nil // a variable GitLab expands: not followed
	}
	if !strings.Contains(rel, "*") {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if _, err := confined.Rel(src.root, p); err != nil {
			return nil
		}
		return []string{p}
	}
	return patternMatches(src.root, filepath.Join(root, filepath.FromSlash(rel)))
}

// patternMatches returns the regular files on disk that the pattern
// (IsPattern) matches inside root: `*` within a folder name, `**` across
// folders, `?` and `[...]` as the shell has them; a bounded walk that
// passes over .git and node_modules.
func patternMatches(root, pattern string) []string {
	slash := filepath.ToSlash(pattern)
	i := strings.IndexAny(slash, "*?[")
	if i < 0 {
		return nil
	}
	start := filepath.FromSlash(slash[:strings.LastIndex(slash[:i], "/")+1])
	if _, err := confined.Rel(root, start); err != nil {
		return nil
	}
	re := globRegexp(slash)
	var out []string
	seen := 0
	_ = filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if seen++; seen > 10_000 {
			return filepath.SkipAll
		}
		if d.IsDir() {
			if n := d.Name(); p != filepath.Clean(start) && (n == ".git" || n == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && re.MatchString(filepath.ToSlash(p)) {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// gitlabIncludePattern is the absolute pattern of a local include that
// names files by a pattern (ci/jobs/*.yml), inside the project; "" for
// another name.
func gitlabIncludePattern(src source, root, name string) string {
	rel := strings.TrimPrefix(filepath.ToSlash(name), "/")
	if !strings.Contains(rel, "*") || strings.Contains(rel, "$") {
		return ""
	}
	p := filepath.Join(root, filepath.FromSlash(rel))
	if _, err := confined.Rel(src.root, filepath.Join(root, filepath.FromSlash(rel[:strings.Index(rel, "*")]))); err != nil {
		return ""
	}
	return p
}

// globRegexp turns a file pattern into a regular expression over slash
// paths: `*` matches within a folder name and `**` across folders (as
// GitLab's include patterns), `?` and `[...]` as the shell has them (a
// Makefile include's).
func globRegexp(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; {
		case c == '*' && i+1 < len(pattern) && pattern[i+1] == '*':
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			end := strings.IndexByte(pattern[i+1:], ']')
			if end < 0 {
				b.WriteString(regexp.QuoteMeta("["))
				continue
			}
			class := pattern[i+1 : i+1+end]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += end + 1
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return regexp.MustCompile(`^\b$`) // matches nothing
	}
	return re
}

// doc returns the file node n is written in, and its text: "" for the
// main file.
func (cfg *glConfig) doc(n *yaml.Node) (*yamlDoc, string) {
	if g, ok := cfg.docs[n]; ok {
		return g.d, g.file
	}
	return cfg.main, ""
}

// span is the span of a value (under key) in the file it is written in,
// and that file: a value of the main file may be read by a script of an
// included one.
func (cfg *glConfig) span(key, v *yaml.Node) (analysis.Span, string) {
	if v != nil {
		if g, ok := cfg.docs[v]; ok {
			return g.d.valueSpan(key, v), g.file
		}
	}
	if g, ok := cfg.docs[key]; ok {
		return g.d.valueSpan(key, v), g.file
	}
	return cfg.main.valueSpan(key, v), cfg.file
}

// value is a variable's value text, written at v (under key).
func (cfg *glConfig) value(text string, key, v *yaml.Node) value {
	sp, file := cfg.span(key, v)
	return value{text: text, span: sp, file: file}
}
