package analysis

import (
	"errors"
	"io/fs"
	"path"
	"strings"
	"sync"

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
	ok, err := MatchIgnore(c.Ignore, p)
	return err == nil && ok
}

// ignoreMu serializes matching: a PatternMatcher compiles each pattern on
// its first use and is not safe for concurrent calls, while one build
// context's matcher is shared by requests and the diagnostics run.
var ignoreMu sync.Mutex

// MatchIgnore is m.MatchesOrParentMatches(p), safe to call from several
// goroutines at once.
func MatchIgnore(m *patternmatcher.PatternMatcher, p string) (bool, error) {
	ignoreMu.Lock()
	defer ignoreMu.Unlock()
	return m.MatchesOrParentMatches(p)
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
// the context that the .dockerignore lets through. When it cannot tell (a
// pattern BuildKit may read differently, a symbolic link on the way, a
// walk past its budget) it says yes, so that nothing is reported.
func (c BuildContext) exists(src string) bool {
	if src == "" {
		return true // the context itself
	}
	if strings.ContainsAny(src, "*?[") {
		budget := globBudget
		found, sure := c.glob(".", strings.Split(src, "/"), &budget)
		return found || !sure
	}
	_, err := fs.Stat(c.FS, src)
	return err == nil
}

// globBudget bounds the folder entries one pattern may look at.
const globBudget = 10_000

// glob reports whether the path elements in parts, which may hold
// wildcards, match a path under dir that the .dockerignore lets through,
// and whether it is sure. Unlike fs.Glob it does not follow symbolic links
// while matching wildcards (a link to "." would make `*/*/*/*/*` cost
// entries^depth), and it stops when budget runs out.
func (c BuildContext) glob(dir string, parts []string, budget *int) (found, sure bool) {
	if len(parts) == 0 {
		return !c.Ignored(dir), true
	}
	part, rest := parts[0], parts[1:]
	if !strings.ContainsAny(part, "*?[") {
		if len(rest) == 0 {
			p := path.Join(dir, part)
			_, err := fs.Stat(c.FS, p)
			return err == nil && !c.Ignored(p), true
		}
		return c.glob(path.Join(dir, part), rest, budget)
	}
	entries, err := fs.ReadDir(c.FS, dir)
	if *budget -= len(entries) + 1; *budget < 0 {
		return false, false
	}
	if err != nil {
		// Absent: surely no match; unreadable or too large to list: unsure.
		return false, errors.Is(err, fs.ErrNotExist)
	}
	sure = true
	for _, e := range entries {
		ok, err := path.Match(part, e.Name())
		if err != nil {
			return false, false
		}
		if !ok {
			continue
		}
		p := path.Join(dir, e.Name())
		switch {
		case len(rest) == 0:
			if !c.Ignored(p) {
				return true, true
			}
		case e.Type()&fs.ModeSymlink != 0:
			sure = false // where it leads is not walked
		case e.IsDir():
			f, s := c.glob(p, rest, budget)
			if f {
				return true, true
			}
			sure = sure && s
			if *budget < 0 {
				return false, false
			}
		}
	}
	return false, sure
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
		if n.Start+n.Len < sp.Start || (n.Cmd != "copy" && n.Cmd != "add") || n.Flag("from") != nil || len(n.Args) < 2 || len(n.Heredocs()) > 0 {
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
