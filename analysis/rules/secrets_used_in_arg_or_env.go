package rules

import "strings"

var SecretsUsedInArgOrEnv = register(&Rule{
	Name:     "SecretsUsedInArgOrEnv",
	Summary:  "Sensitive data should not be used in the ARG or ENV commands.",
	Severity: Warning,
	BuildKit: true,
	Doc: `ARG and ENV values are recorded in the image's history and configuration, where
anyone who pulls the image can read them. Pass secrets with
` + "`RUN --mount=type=secret`" + ` instead. The rule goes by the variable's name: a word
such as ` + "`password`" + `, ` + "`token`" + `, ` + "`secret`" + `, ` + "`key`" + ` or ` + "`auth`" + ` between underscores, unless
` + "`public`" + `, ` + "`file`" + ` or ` + "`version`" + ` is one too.`,
	Bad: `FROM alpine
ARG GITHUB_TOKEN
RUN git clone https://$GITHUB_TOKEN@github.com/org/repo
`,
	Good: `FROM alpine
RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN \
    git clone https://$GITHUB_TOKEN@github.com/org/repo
`,
	Run:   runSecretsUsedInArgOrEnv,
	Scope: PerStage,
})

// secretName reports whether BuildKit takes the variable k for a secret:
// one of its words between underscores is a secret's (apikey, auth, key,
// password, token, ...) and none is public, file or version, in any case.
// BuildKit matches two regular expressions; these loops answer the same
// (TestSecretNameMatchesBuildKit) without running them for every name.
func secretName(k string) bool {
	secret := false
	for w := range strings.SplitSeq(k, "_") {
		switch {
		case wordIn(w, "public", "file", "version"):
			return false
		case wordIn(w, "apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd", "secret", "token"):
			secret = true
		}
	}
	return secret
}

// wordIn reports whether w is one of words, in any case.
func wordIn(w string, words ...string) bool {
	for _, x := range words {
		if strings.EqualFold(w, x) {
			return true
		}
	}
	return false
}

func runSecretsUsedInArgOrEnv(p *Pass) {
	ix := p.Index
	first := ix.Len()
	if ix.StageCount() > 0 {
		first = ix.Stage(0).First
	}
	verdict := map[string]bool{}
	for _, n := range p.NodesOf("arg", "env") {
		if n.Cmd == "arg" && n.Index < first {
			continue // global ARGs are not dispatched, so BuildKit does not check them
		}
		for _, d := range n.Decls {
			k := d.Name.Value
			secret, ok := verdict[k]
			if !ok {
				secret = secretName(k)
				verdict[k] = secret
			}
			if secret {
				p.Reportf(n.Abs(d.Name.Span), nil, "Do not use ARG or ENV instructions for sensitive data (%s %q)", strings.ToUpper(n.Cmd), k)
			}
		}
	}
}
