package testgen

import (
	"math/rand/v2"
	"regexp"
	"strings"
)

// Editor makes random edits of the kinds people make while typing a
// Dockerfile: characters, lines, stage renames, global ARGs, directives
// (`# escape=` too), variable FROMs, ONBUILD and `# check=skip=` comments.
type Editor struct {
	Rand *rand.Rand
	// Rules are the rule names `# check=skip=` comments pick from.
	Rules []string
}

// NewEditor returns an Editor drawing from seed.
func NewEditor(seed uint64, rules []string) *Editor {
	return &Editor{Rand: rand.New(rand.NewPCG(seed, 1)), Rules: rules}
}

var stageNameAt = regexp.MustCompile(`(?im)^FROM\s+\S+\s+AS\s+(\S+)`)

// Edit returns an edit of text: the bytes [start, end) become insert.
func (e *Editor) Edit(text string) (start, end int, insert string) {
	r := e.Rand
	pos := func() int { return r.IntN(len(text) + 1) }
	lineStart := func(off int) int { return strings.LastIndexByte(text[:off], '\n') + 1 }
	lineEnd := func(off int) int {
		if i := strings.IndexByte(text[off:], '\n'); i >= 0 {
			return off + i
		}
		return len(text)
	}
	chars := []string{"x", "a", " ", "$", "{", "}", "\\", "=", "-", "/", "\"", "A", "1", ":", "#"}
	switch k := r.IntN(10); {
	case k < 3 || len(text) == 0: // type a character
		at := pos()
		return at, at, chars[r.IntN(len(chars))]
	case k == 3: // delete a character or a few
		at := r.IntN(len(text))
		return at, min(len(text), at+1+r.IntN(3)), ""
	case k == 4: // delete a line
		at := lineStart(pos())
		return at, min(len(text), lineEnd(at)+1), ""
	case k == 5: // insert a line
		lines := []string{"RUN echo $FOO\n", "ARG FOO=1\n", "ENV A=$FOO\n", "WORKDIR app\n", "CMD run\n",
			"COPY --from=build /x /y\n", "FROM alpine AS extra\n", "FROM build\n", "EXPOSE 80/TCP\n", "maintainer me\n",
			"# check=skip=all\n", "USER 1000\n", "ONBUILD COPY --from=build /a /b\n",
			"FROM ${BASE} AS img\n", "COPY --from=${BASE} /a /b\n", "COPY --from=0 /a /b\n", "SHELL [\"/bin/sh\"]\n"}
		at := lineStart(pos())
		return at, at, lines[r.IntN(len(lines))]
	case k == 6: // rename a stage
		ms := stageNameAt.FindAllStringSubmatchIndex(text, -1)
		if len(ms) == 0 {
			at := pos()
			return at, at, "x"
		}
		m := ms[r.IntN(len(ms))]
		names := []string{"build", "Build", "base", "runtime", "stage-0", "0x", ""}
		return m[2], m[3], names[r.IntN(len(names))]
	case k == 7: // an ARG before the first FROM
		at := 0
		if i := strings.Index(strings.ToUpper(text), "\nFROM"); i >= 0 {
			at = i + 1
		}
		args := []string{"ARG BASE=alpine\n", "ARG FOO\n", "ARG VERSION=2\n"}
		return at, at, args[r.IntN(len(args))]
	case k == 8: // a directive
		dirs := []string{"# check=skip=JSONArgsRecommended\n", "# check=skip=all\n", "# check=error=true\n",
			"# syntax=docker/dockerfile:1.4\n", "# escape=`\n"}
		return 0, 0, dirs[r.IntN(len(dirs))]
	default: // a `# check=skip=` comment above some line
		at := lineStart(pos())
		rule := "all"
		if len(e.Rules) > 0 {
			rule = e.Rules[r.IntN(len(e.Rules))]
		}
		return at, at, "# check=skip=" + rule + "\n"
	}
}
