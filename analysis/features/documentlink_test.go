package features

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/analysis"
)

func TestImagePage(t *testing.T) {
	for ref, want := range map[string]string{
		"golang":                        "https://hub.docker.com/_/golang",
		"golang:1.23-alpine":            "https://hub.docker.com/_/golang",
		"docker.io/library/alpine:3.20": "https://hub.docker.com/_/alpine",
		"bitnami/redis@sha256:" + strings.Repeat("a", 64): "https://hub.docker.com/r/bitnami/redis",
		"ghcr.io/owner/app:v1":                            "https://ghcr.io/owner/app",
		"quay.io/prometheus/node-exporter":                "https://quay.io/repository/prometheus/node-exporter",
		"mcr.microsoft.com/dotnet/sdk:8.0":                "https://mcr.microsoft.com/artifact/mar/dotnet/sdk",
		"gcr.io/distroless/static-debian12":               "https://gcr.io/distroless/static-debian12",
		"us.gcr.io/proj/img:tag":                          "https://us.gcr.io/proj/img",
		"registry.example.com/team/app":                   "",
		"localhost:5000/app":                              "",
		"golang:${GO}":                                    "",
		"scratch":                                         "",
		"Upper/Case":                                      "",
		"a/b/c":                                           "",
	} {
		got, ok := ImagePage(ref)
		if got != want || ok != (want != "") {
			t.Errorf("ImagePage(%q) = %q, %v; want %q", ref, got, ok, want)
		}
	}
}

func TestLinks(t *testing.T) {
	text := "ARG V=1\nFROM golang:${V} AS build\nFROM golang:1.23 AS b2\nFROM build\nFROM scratch\nFROM b2 AS final\nFROM quay.io/a/b\n"
	ix := analysis.Parse(analysis.NewDocument(text))
	var got []string
	for _, l := range Links(ix) {
		got = append(got, fmt.Sprintf("%q %s", ix.Doc.Slice(l.Span), l.Target))
	}
	want := []string{`"golang:1.23" https://hub.docker.com/_/golang`, `"quay.io/a/b" https://quay.io/repository/a/b`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
}
