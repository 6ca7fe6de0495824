package features

import (
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
)

func TestSignatureHelp(t *testing.T) {
	for _, tc := range []struct {
		text   string // | marks the cursor
		active string // the active parameter's label, or "" for none
	}{
		{"COPY --from=build |", "<src>..."},
		{"COPY --fr|", "[--from=<stage>]"},
		{"COPY --ch|", ""},
		{"COPY --chmod=7|", "[--chmod=<perms>]"},
		{"COPY a |", "<dest>"},
		{"COPY a b |", "<dest>"},
		{"COPY a| b c", "<src>..."},
		{"FROM alpine |", "[AS <name>]"},
		{"FROM |", "<image>"},
		{"FR|OM alpine", ""},
		{"RUN --mount=type=cache,target=/x |", "<command>"},
		{"RUN --network=n|one", "[--network=<mode>]"},
		{"EXPOSE 80 443 |", "<port>[/<protocol>]..."},
		{"USER a b|", "<user>[:<group>]"},
		{"CMD [\"a\", |]", "<command>"},
	} {
		off := strings.IndexByte(tc.text, '|')
		text := tc.text[:off] + tc.text[off+1:]
		ix := analysis.Parse(analysis.NewDocument(text))
		sig, ok := SignatureHelp(ix, off)
		if !ok {
			t.Errorf("%q: no signature", tc.text)
			continue
		}
		got := ""
		if sig.Active >= 0 {
			p := sig.Params[sig.Active]
			got = sig.Label[p.Start:p.End]
		}
		if got != tc.active {
			t.Errorf("%q: active %q, want %q (label %q)", tc.text, got, tc.active, sig.Label)
		}
	}
	ix := analysis.Parse(analysis.NewDocument("RUN <<EOF\necho\nEOF\n"))
	if _, ok := SignatureHelp(ix, len("RUN <<EOF\nec")); ok {
		t.Errorf("signature inside a heredoc body")
	}
	ix = analysis.Parse(analysis.NewDocument("FOO bar\n"))
	if _, ok := SignatureHelp(ix, 5); ok {
		t.Errorf("signature for an unknown instruction")
	}
}
