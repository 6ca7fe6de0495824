package rules

import (
	"regexp"
	"strings"
)

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

var (
	secretName    = regexp.MustCompile(`(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)`)
	notSecretName = regexp.MustCompile(`(?i)(?:_|^)(?:public|file|version)(?:_|$)`)
)

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
				secret = secretName.MatchString(k) && !notSecretName.MatchString(k)
				verdict[k] = secret
			}
			if secret {
				p.Reportf(n.Abs(d.Name.Span), nil, "Do not use ARG or ENV instructions for sensitive data (%s %q)", strings.ToUpper(n.Cmd), k)
			}
		}
	}
}
