package rules

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// BuildKit's two expressions (dockerfile2llb, getSecretsRegex), the oracle
// secretName is held to.
var (
	buildkitSecret    = regexp.MustCompile(`(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)`)
	buildkitNotSecret = regexp.MustCompile(`(?i)(?:_|^)(?:public|file|version)(?:_|$)`)
)

func buildkitSecretName(k string) bool {
	return buildkitSecret.MatchString(k) && !buildkitNotSecret.MatchString(k)
}

// TestSecretNameMatchesBuildKit compares secretName with BuildKit's
// expressions over every ARG and ENV name of the corpus and names built
// from the words, case changes, Unicode case folds (K and S have
// non-ASCII ones), and other separators.
func TestSecretNameMatchesBuildKit(t *testing.T) {
	names := map[string]bool{}
	for _, text := range testgen.Sample(t) {
		ix := analysis.Parse(analysis.NewDocument(text))
		for i := range ix.Len() {
			for _, d := range ix.Node(i).Decls {
				names[d.Name.Value] = true
			}
		}
	}
	words := []string{"apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd", "secret", "token",
		"public", "file", "version", "keys", "tokens", "x", "", "auth2", "PASSWORD", "Token"}
	for _, a := range words {
		for _, b := range words {
			for _, sep := range []string{"_", "__", "-", ".", ""} {
				names[a+sep+b] = true
				names["MY_"+a+sep+b+"_X"] = true
			}
		}
		names[strings.ReplaceAll(a, "k", "\u212a")] = true // KELVIN SIGN folds to k
		names[strings.ReplaceAll(a, "s", "\u017f")] = true // LATIN SMALL LETTER LONG S folds to s
		names["_"+strings.ToUpper(a)+"_"] = true
	}
	secrets := 0
	for k := range names {
		want := buildkitSecretName(k)
		if got := secretName(k); got != want {
			t.Errorf("secretName(%q) = %v, BuildKit says %v", k, got, want)
		}
		if want {
			secrets++
		}
	}
	if len(names) < 1000 || secrets < 100 {
		t.Errorf("%d names, %d secrets: want more of both", len(names), secrets)
	}
}

func FuzzSecretName(f *testing.F) {
	for _, s := range []string{"GITHUB_TOKEN", "api_key_file", "AUTH", "\u212aey", "public_key", "x_y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, k string) {
		if got, want := secretName(k), buildkitSecretName(k); got != want {
			t.Errorf("secretName(%q) = %v, BuildKit says %v", k, got, want)
		}
	})
}
