package features

import (
	"regexp"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// Link is a span of the document that points at a page elsewhere.
type Link struct {
	Span    analysis.Span
	Target  string
	Tooltip string
}

// Links returns a link for every FROM base that names an image on a
// registry with public pages (Docker Hub, GitHub's, Quay, Microsoft's and
// Google's container registries), in document order. The address is built
// from the reference alone; nothing is fetched. Stages, `scratch` and bases
// built from variables are not linked.
func Links(ix *analysis.Index) []Link {
	var out []Link
	for _, st := range ix.Stages().All() {
		n := ix.Node(st.First)
		if n.Base() == nil || len(n.Refs) == 0 || n.Refs[0].Kind != analysis.RefFrom || n.Refs[0].Resolution != analysis.ResolvesImage {
			continue
		}
		if n.Base().Span.Len() != len(n.Base().Value) {
			continue // split by a continuation
		}
		if target, ok := ImagePage(n.Base().Value); ok {
			out = append(out, Link{Span: n.Abs(n.Base().Span), Target: target, Tooltip: "Open the image's registry page"})
		}
	}
	return out
}

var (
	pathComponent = regexp.MustCompile(`^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$`)
	tagPattern    = regexp.MustCompile(`^[\w][\w.-]{0,127}$`)
)

// ImagePage returns the registry page of an image reference such as
// `golang:1.23`, `ghcr.io/owner/app@sha256:...` or
// `mcr.microsoft.com/dotnet/sdk:8.0`.
func ImagePage(ref string) (string, bool) {
	if ref == "" || strings.ContainsAny(ref, "$\"' \t") || strings.EqualFold(ref, "scratch") {
		return "", false
	}
	name := ref
	if at := strings.IndexByte(name, '@'); at >= 0 {
		name = name[:at]
	}
	if c := strings.LastIndexByte(name, ':'); c > strings.LastIndexByte(name, '/') {
		if !tagPattern.MatchString(name[c+1:]) {
			return "", false
		}
		name = name[:c]
	}
	domain, path := "", name
	if i := strings.IndexByte(name, '/'); i >= 0 {
		if first := name[:i]; strings.ContainsAny(first, ".:") || first == "localhost" {
			domain, path = first, name[i+1:]
		}
	}
	parts := strings.Split(path, "/")
	for _, p := range parts {
		if !pathComponent.MatchString(p) {
			return "", false
		}
	}
	switch {
	case domain == "" || domain == "docker.io" || domain == "index.docker.io" || domain == "registry-1.docker.io":
		switch {
		case len(parts) == 1:
			return "https://hub.docker.com/_/" + path, true
		case len(parts) == 2 && parts[0] == "library":
			return "https://hub.docker.com/_/" + parts[1], true
		case len(parts) == 2:
			return "https://hub.docker.com/r/" + path, true
		}
	case domain == "ghcr.io" && len(parts) >= 2:
		return "https://ghcr.io/" + path, true
	case domain == "quay.io" && len(parts) == 2:
		return "https://quay.io/repository/" + path, true
	case domain == "mcr.microsoft.com":
		return "https://mcr.microsoft.com/artifact/mar/" + path, true
	case (domain == "gcr.io" || strings.HasSuffix(domain, ".gcr.io")) && len(parts) >= 2:
		return "https://" + domain + "/" + path, true
	}
	return "", false
}
