package oracle

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Mount is what BuildKit reads from one `RUN --mount` flag.
type Mount struct {
	Type, From, Source, Target, ID string
}

// Mounts reads the `--mount` flags of the one RUN instruction in dt as
// BuildKit does: the parser takes the flag words, instructions.parseMount
// (through RunCommand.Expand, with variables left as written) splits each
// value. err is BuildKit's error for a mount it rejects; csv is set when
// that error comes from splitting the value as CSV.
func Mounts(dt string) (mounts []Mount, csv bool, err error) {
	res, err := parser.Parse(strings.NewReader(dt))
	if err != nil {
		return nil, false, err
	}
	if len(res.AST.Children) != 1 {
		return nil, false, nil
	}
	cmd, err := instructions.ParseInstruction(res.AST.Children[0])
	if err != nil {
		return nil, strings.Contains(err.Error(), "csv"), err
	}
	run, ok := cmd.(*instructions.RunCommand)
	if !ok {
		return nil, false, nil
	}
	if err := run.Expand(func(word string) (string, error) { return word, nil }); err != nil {
		return nil, strings.Contains(err.Error(), "csv"), err
	}
	for _, m := range instructions.GetMounts(run) {
		mounts = append(mounts, Mount{Type: string(m.Type), From: m.From, Source: m.Source, Target: m.Target, ID: m.CacheID})
	}
	return mounts, false, nil
}
