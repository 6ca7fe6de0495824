package analysis

import (
	"strings"
	"testing"
)

func TestParseErrorOnLongLine(t *testing.T) {
	text := "FROM alpine AS a\nRUN echo " + strings.Repeat("x", 70000) + "\nRUN true\n"
	ix := Parse(NewDocument(text))
	if ix.ParseError == nil {
		t.Fatal("no parse error for a line past BuildKit's limit")
	}
	if p := ix.Doc.Position(ix.ParseError.Span.Start, UTF16); p.Line != 1 {
		t.Errorf("error on line %d, want the long line (1): %s", p.Line, ix.ParseError.Message)
	}
}

func TestParseKeepsIndexingAfterInstructionErrors(t *testing.T) {
	ix := Parse(NewDocument("FROM alpine AS a\nRUNN x\nCOPY --fromm=a . .\nFROM a AS 1bad\nFROM a AS ok\n"))
	if got := len(ix.Errors()); got != 3 {
		t.Errorf("%d errors, want 3: %+v", got, ix.Errors())
	}
	if ix.StageCount() != 3 || ix.Stage(2).Name != "ok" {
		t.Errorf("stages after errors: %+v", ix.Stages().Slice())
	}
	for _, e := range ix.Errors() {
		t.Logf("%q: %s", ix.Doc.Slice(e.Span), e.Message)
	}
}

// TestCheckCommentAboveInstruction: BuildKit's ParseInstruction panics on
// a `# check=` comment above an instruction unless given a linter.
func TestCheckCommentAboveInstruction(t *testing.T) {
	ix := Parse(NewDocument("FROM alpine\n# check=skip=MaintainerDeprecated\nMAINTAINER me\n"))
	if ix.ParseError != nil || ix.Len() != 2 {
		t.Fatalf("parse error %v, %d instructions", ix.ParseError, ix.Len())
	}
}
