package check

import (
	"bytes"
	"testing"
)

// TestGitHubEscaping pins the workflow command of a finding whose path,
// rule and message hold every character GitHub's toolkit escapes.
func TestGitHubEscaping(t *testing.T) {
	all := []Finding{
		{Path: "a,b:c%d.Dockerfile", Line: 3, Column: 5, EndLine: 4, EndColumn: 1, Severity: "error", Rule: "R", Message: "50% of\r\nit: a, b"},
		{Path: "x", Line: 1, Column: 1, EndLine: 1, EndColumn: 2, Severity: "warning", Rule: "W", Message: "w"},
		{Path: "x", Line: 1, Column: 1, EndLine: 1, EndColumn: 2, Severity: "information", Rule: "I", Message: "i"},
		{Path: "x", Line: 1, Column: 1, EndLine: 1, EndColumn: 2, Severity: "hint", Rule: "H", Message: "h::x"},
	}
	var b bytes.Buffer
	if err := writeGitHub(&b, all); err != nil {
		t.Fatal(err)
	}
	want := "::error file=a%2Cb%3Ac%25d.Dockerfile,line=3,col=5,endLine=4,endColumn=1,title=R::50%25 of%0D%0Ait: a, b\n" +
		"::warning file=x,line=1,col=1,endLine=1,endColumn=2,title=W::w\n" +
		"::notice file=x,line=1,col=1,endLine=1,endColumn=2,title=I::i\n" +
		"::notice file=x,line=1,col=1,endLine=1,endColumn=2,title=H::h::x\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestGitHubInHelp: `check --help` names the format and what it writes.
func TestGitHubInHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	Main([]string{"--help"}, &stdout, &stderr)
	for _, want := range []string{"text|json|sarif|github", "GitHub Actions annotations", "notice for information and hints"} {
		if !bytes.Contains(stderr.Bytes(), []byte(want)) {
			t.Errorf("check --help does not say %q:\n%s", want, stderr.String())
		}
	}
}
