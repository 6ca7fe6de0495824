package check

import (
	"io"
	"strconv"
	"strings"
)

// writeGitHub writes findings as GitHub Actions workflow commands, one a
// line, which a workflow step's log turns into annotations on the files:
//
//	::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=RULE::MESSAGE
//
// error for errors, warning for warnings, notice for information and hints.
// Lines and columns count from 1, columns in characters, as in text and
// json. Values are escaped as GitHub's toolkit escapes them (its
// command.ts): in the message %, \r and \n; in properties also : and ,.
func writeGitHub(w io.Writer, all []Finding) error {
	var b []byte
	for _, f := range all {
		b = append(b, "::"...)
		b = append(b, githubLevel(f.Severity)...)
		b = append(b, " file="...)
		b = appendGitHubProperty(b, f.Path)
		b = append(b, ",line="...)
		b = strconv.AppendInt(b, int64(f.Line), 10)
		b = append(b, ",col="...)
		b = strconv.AppendInt(b, int64(f.Column), 10)
		b = append(b, ",endLine="...)
		b = strconv.AppendInt(b, int64(f.EndLine), 10)
		b = append(b, ",endColumn="...)
		b = strconv.AppendInt(b, int64(f.EndColumn), 10)
		b = append(b, ",title="...)
		b = appendGitHubProperty(b, f.Rule)
		b = append(b, "::"...)
		b = appendGitHubData(b, f.Message)
		b = append(b, '\n')
	}
	_, err := w.Write(b)
	return err
}

// githubLevel is the workflow command of a severity.
func githubLevel(severity string) string {
	switch severity {
	case "error", "warning":
		return severity
	}
	return "notice"
}

var (
	githubData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func appendGitHubData(b []byte, s string) []byte { return append(b, githubData.Replace(s)...) }

func appendGitHubProperty(b []byte, s string) []byte {
	return append(b, githubProperty.Replace(s)...)
}
