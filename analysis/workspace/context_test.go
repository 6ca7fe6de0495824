package workspace

import (
	"testing"
)

func TestContextFor(t *testing.T) {
	ix := Scan([]string{"/w"}, DefaultLimits)
	ix = ix.Update("/w/compose.yaml", `services:
  app:
    build:
      context: .
      dockerfile: docker/app/Dockerfile
  web:
    build: web
  worker:
    extends: app
    build:
      target: worker
  remote:
    build:
      context: https://github.com/x/y.git
      dockerfile: docker/remote/Dockerfile
  up:
    build:
      context: ..
      dockerfile: w/docker/up/Dockerfile
  image:
    image: alpine
`)
	ix = ix.Update("/w/docker-bake.hcl", `target "_common" {
  context = "."
}
target "api" {
  inherits = ["_common"]
  dockerfile = "docker/api/Dockerfile"
}
target "both" {
  context = "svc"
  dockerfile = "../docker/both/Dockerfile"
}
`)
	ix = ix.Update("/w/docker-bake.json", `{"target": {"base": {"context": "."}, "worker": {"inherits": ["base"], "dockerfile": "docker/worker/Dockerfile"}}}`)
	ix = ix.Update("/w/compose.both.yaml", `services:
  both:
    build:
      context: docker/both
`)
	for _, c := range []struct{ dockerfile, want string }{
		{"/w/docker/app/Dockerfile", "/w"},
		{"/w/web/Dockerfile", "/w/web"},
		{"/w/docker/api/Dockerfile", "/w"},
		{"/w/docker/worker/Dockerfile", "/w"},               // Bake JSON, through inherits
		{"/w/docker/remote/Dockerfile", "/w/docker/remote"}, // a remote context: the folder
		{"/w/docker/up/Dockerfile", "/w/docker/up"},         // outside the roots: the folder
		{"/w/docker/both/Dockerfile", "/w/docker/both"},     // two contexts: the folder
		{"/w/other/Dockerfile", "/w/other"},
	} {
		if got := ix.ContextFor(c.dockerfile); got != c.want {
			t.Errorf("ContextFor(%s) = %s, want %s", c.dockerfile, got, c.want)
		}
	}
	var worker *Target
	for _, tg := range ix.TargetsIn("/w/compose.yaml") {
		if tg.Name == "worker" {
			worker = &tg
		}
	}
	if worker == nil || worker.Context != "/w" || worker.Dockerfile != "/w/docker/app/Dockerfile" {
		t.Errorf("worker target = %+v, want the context and Dockerfile of app", worker)
	}
	// Removing the Compose file forgets its contexts.
	if got := ix.Remove("/w/compose.yaml").ContextFor("/w/docker/app/Dockerfile"); got != "/w/docker/app" {
		t.Errorf("after Remove: ContextFor = %s", got)
	}
}
