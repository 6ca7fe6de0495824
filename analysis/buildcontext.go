package analysis

import (
	"io/fs"
	"path"
	"strings"

	"github.com/moby/patternmatcher"
)

// BuildContext is the set of files a build sends to BuildKit: a file
// system rooted at the context's folder, less what its .dockerignore
// excludes.
type BuildContext struct {
	FS     fs.FS
	Ignore *patternmatcher.PatternMatcher // nil when there is no .dockerignore
}

// Ignored reports whether the .dockerignore excludes p, a slash-separated
// path relative to the context.
func (c BuildContext) Ignored(p string) bool {
	if c.Ignore == nil {
		return false
	}
	ok, err := c.Ignore.MatchesOrParentMatches(p)
	return err == nil && ok
}

// contextPath turns a COPY source into a path relative to the context, or
// reports that it names no file of the context (a URL, a variable, a
// heredoc).
func contextPath(src string) (string, bool) {
	if src == "" || strings.HasPrefix(src, "<<") || strings.ContainsAny(src, "$") ||
		strings.Contains(src, "://") || strings.HasPrefix(src, "git@") {
		return "", false
	}
	return path.Clean("/" + src)[1:], true
}

// exists reports whether src, which may hold wildcards, names a file of
// the context that the .dockerignore lets through.
func (c BuildContext) exists(src string) bool {
	if src == "" {
		return true // the context itself
	}
	if strings.ContainsAny(src, "*?[") {
		matches, err := fs.Glob(c.FS, src)
		if err != nil {
			return true // a pattern BuildKit may read differently: say nothing
		}
		for _, m := range matches {
			if !c.Ignored(m) {
				return true
			}
		}
		return false
	}
	_, err := fs.Stat(c.FS, src)
	return err == nil
}

// MissingSources returns the spans of COPY and ADD sources, in the
// instructions that overlap sp, that name nothing in the build context.
// Sources from another stage or image (`--from`), URLs, variables,
// heredocs and files the .dockerignore excludes (another rule's concern)
// are not reported.
func (ix *Index) MissingSources(sp Span, c BuildContext) []Span {
	if c.FS == nil {
		return nil
	}
	var out []Span
	for i := max(ix.search(sp.Start)-1, 0); i < ix.n; i++ {
		n := ix.Node(i)
		if n.Start > sp.End {
			break
		}
		if n.Start+n.Len < sp.Start || (n.Cmd != "copy" && n.Cmd != "add") || n.Flag("from") != nil || len(n.Args) < 2 || len(n.Heredocs) > 0 {
			continue
		}
		for _, a := range n.Args[:len(n.Args)-1] {
			p, ok := contextPath(a.Value)
			if !ok || c.Ignored(p) || c.exists(p) {
				continue
			}
			out = append(out, n.Abs(a.Span))
		}
	}
	return out
}
