package rules

import (
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// exposePort is one EXPOSE word split as BuildKit splits it:
// [ip:][hostPort:]containerPort[/proto].
type exposePort struct {
	span           analysis.Span
	raw            string
	ip, host, port string
	proto          string
	protoSpan      analysis.Span
}

func exposePorts(p *Pass, fn func(n analysis.Node, e exposePort)) {
	for _, n := range p.NodesOf("expose") {
		if p.Index.StageOf(n.Index) < 0 {
			continue
		}
		for _, a := range n.Args {
			words := []string{a.Value}
			if strings.ContainsAny(a.Value, "$\"'") || strings.IndexByte(a.Value, p.Index.Escape) >= 0 {
				// BuildKit expands each word with the stage's ARG and ENV
				// values, quotes removed, and splits the result into words.
				v, ok := build(p).Expand(n.Index, p.Text(n.Abs(a.Span)))
				if !ok {
					continue
				}
				words = strings.Fields(v)
			}
			for _, w := range words {
				exposeWord(n, a, w, fn)
			}
		}
	}
}

// exposeWord splits w, a word of EXPOSE argument a (a itself unless it
// holds variables), and calls fn with it.
func exposeWord(n analysis.Node, a analysis.Token, w string, fn func(n analysis.Node, e exposePort)) {
	e := exposePort{span: n.Abs(a.Span), raw: w}
	parts := strings.Split(w, ":")
	last := parts[len(parts)-1]
	switch len(parts) {
	case 1:
	case 2:
		e.host = parts[0]
	default:
		e.ip, e.host = strings.Join(parts[:len(parts)-2], ":"), parts[len(parts)-2]
	}
	port, proto, _ := strings.Cut(last, "/")
	e.port, e.proto = port, proto
	if proto != "" && w == a.Value && a.Span.Len() == len(a.Value) {
		end := e.span.End
		e.protoSpan = analysis.Span{Start: end - len(proto), End: end}
	}
	fn(n, e)
}

var ExposeProtoCasing = register(&Rule{
	Name:     "ExposeProtoCasing",
	Summary:  "Protocol in EXPOSE instruction should be lowercase.",
	Severity: Warning,
	BuildKit: true,
	Doc: `` + "`EXPOSE 53/UDP`" + ` works, but tools compare protocols as written; write ` + "`tcp`" + `, ` + "`udp`" + `
or ` + "`sctp`" + ` in lower case. The fix lowers it.`,
	Bad: `FROM alpine
EXPOSE 53/UDP
`,
	Good: `FROM alpine
EXPOSE 53/udp
`,
	Scope: PerStage,
	Run: func(p *Pass) {
		exposePorts(p, func(n analysis.Node, e exposePort) {
			if e.proto == strings.ToLower(e.proto) {
				return
			}
			var fixes []Fix
			if e.protoSpan.End > 0 {
				fixes = fix("Change to "+strings.ToLower(e.proto), true, replace(e.protoSpan, strings.ToLower(e.proto)))
			}
			p.Reportf(e.span, fixes, "Defined protocol '%s' in EXPOSE instruction should be lowercase", e.raw)
		})
	},
})

var ExposeInvalidFormat = register(&Rule{
	Name:     "ExposeInvalidFormat",
	Summary:  "IP address and host-port mapping should not be used in EXPOSE instruction.",
	Severity: Warning,
	BuildKit: true,
	Doc: `` + "`EXPOSE`" + ` documents the ports the container listens on; publishing them on a host
address or port is for ` + "`docker run -p`" + `. BuildKit ignores the host part today and
will make it an error in a future release.`,
	Bad: `FROM alpine
EXPOSE 127.0.0.1:8080:80
`,
	Good: `FROM alpine
EXPOSE 80
`,
	Scope: PerStage,
	Run: func(p *Pass) {
		exposePorts(p, func(n analysis.Node, e exposePort) {
			if e.ip == "" && e.host == "" {
				return
			}
			p.Reportf(e.span, nil, "EXPOSE instruction should not define an IP address or host-port mapping, found '%s'", e.raw)
		})
	},
})
