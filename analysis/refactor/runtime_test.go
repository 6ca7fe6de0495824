package refactor

import (
	"context"
	"strings"
	"testing"

	"github.com/moby/patternmatcher"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// A file without a final newline whose last lines move to the runtime
// stage gets one blank line between the stages, as every other file does.
func TestSplitBuildRuntimeOneBlankLine(t *testing.T) {
	body := "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\n"
	for _, tail := range []string{
		"CMD [\"/out/app\"]",             // the last line moves, no newline
		"CMD [\"/out/app\"]\n",           // the last line moves
		"CMD [\"/out/app\"]\nRUN true",   // the last line stays, no newline
		"CMD [\"/out/app\"]\r\nRUN true", // the same with a CRLF before it
	} {
		src := body + tail
		ix := analysis.Parse(analysis.NewDocument(src))
		plan, why := PlanRuntime(context.Background(), ix, 0, analysis.BuildContext{})
		if plan == nil {
			t.Fatalf("%q: no plan: %s", src, why)
		}
		out, err := analysis.ApplyEdits(src, SplitBuildRuntime(ix, 0, plan, plan.Bases[0]))
		if err != nil {
			t.Fatal(err)
		}
		norm := strings.ReplaceAll(out, "\r\n", "\n")
		at := strings.Index(norm, "FROM "+plan.Bases[0])
		if at < 0 || !strings.HasSuffix(norm[:at], "\n\n") || strings.HasSuffix(norm[:at], "\n\n\n") || !strings.HasSuffix(norm, "\n") {
			t.Errorf("%q: not one blank line between the stages:\n%s", src, out)
		}
	}
}

// A Maven build whose image runs a jar from no folder the build fills, or
// no jar at all, gets no runtime split, and the reason says so; a
// module's jar (app/target in a multi-module build) is the one copied.
func TestRuntimeJavaCommandJar(t *testing.T) {
	body := "FROM maven:3.9-eclipse-temurin-21\nWORKDIR /build\nCOPY . .\nRUN mvn -B package -DskipTests\n"
	for cmd, want := range map[string]string{
		`ENTRYPOINT ["java", "-jar", "/app.jar"]`:            "",
		`CMD ["mvn", "spring-boot:run"]`:                     "",
		`CMD java -jar target/app.jar`:                       "/build/target/*.jar",
		`ENTRYPOINT ["java", "-jar", "app/target/app.jar"]`:  "/build/app/target/*.jar",
		`ENTRYPOINT ["java", "-jar", "/tmp/target/app.jar"]`: "",
	} {
		ix := analysis.Parse(analysis.NewDocument(body + cmd + "\n"))
		plan, why := PlanRuntime(context.Background(), ix, 0, analysis.BuildContext{})
		switch {
		case want == "" && plan != nil:
			t.Errorf("%s: a runtime split copying %v", cmd, plan.copies)
		case want == "" && !strings.Contains(why, "runs no jar from there"):
			t.Errorf("%s: refused for %q", cmd, why)
		case want != "" && (plan == nil || plan.copies[0].src != want):
			t.Errorf("%s: plan %v (%s), want a copy of %s", cmd, plan, why, want)
		}
	}
}

// The runtime split is not offered when the runtime would lack what the
// image's command or health check runs or reads: the toolchain (go run,
// dotnet run), a script or file of the sources, a second binary, a tool
// of the builder image (curl); the reason names it. A command that runs
// the artifact, or the ecosystem's runtime on copied files, gets it.
func TestRuntimeCommandFound(t *testing.T) {
	goBody := "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /bin/server ./cmd/server\n"
	dotnet := "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet publish -c Release -o /app\n"
	for src, want := range map[string]string{
		goBody + `CMD ["go", "run", "."]`:                                                     "runs go,",
		goBody + `ENTRYPOINT ["./docker-entrypoint.sh"]` + "\n" + `CMD ["/bin/server"]`:       "reads ./docker-entrypoint.sh,",
		goBody + `CMD ["/bin/server", "--config", "/src/config.yaml"]`:                        "reads /src/config.yaml,",
		goBody + `CMD ["/bin/server", "--config=./config.yaml"]`:                              "reads ./config.yaml,",
		goBody + "CMD /bin/migrate && /bin/server":                                            "runs /bin/migrate,",
		goBody + "HEALTHCHECK CMD curl -f http://localhost/ || exit 1\nCMD [\"/bin/server\"]": "health check runs curl,",
		goBody + `HEALTHCHECK CMD ["/bin/hc"]` + "\n" + `CMD ["/bin/server"]`:                 "health check runs /bin/hc,",
		dotnet + `ENTRYPOINT ["dotnet", "run"]`:                                               "runs dotnet run,",
		dotnet + "WORKDIR /app\n" + `ENTRYPOINT ["dotnet", "Other.dll"]`:                      "",
		dotnet + `ENTRYPOINT ["dotnet", "App.dll"]`:                                           "reads App.dll,",
		goBody + `CMD ["/bin/server", "--config", "/etc/server.yaml"]`:                        "",
		goBody + `HEALTHCHECK CMD ["/bin/server", "-health"]` + "\n" + `CMD ["server"]`:       "",
		"FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/server . && mkdir -p /data && chown 65532 /data\nVOLUME [\"/data\"]\nUSER 65532\nCMD [\"/bin/server\"]": "prepares the VOLUME /data,",
		goBody + "VOLUME /data\nCMD [\"/bin/server\"]":                                        "",
		goBody + `CMD ["--config", "/etc/server.yaml"]` + "\n" + `ENTRYPOINT ["/bin/server"]`: "",
		goBody + "HEALTHCHECK NONE\nCMD exec /bin/server":                                     "",
	} {
		ix := analysis.Parse(analysis.NewDocument(src + "\n"))
		plan, why := PlanRuntime(context.Background(), ix, 0, analysis.BuildContext{})
		switch {
		case want == "" && plan == nil:
			t.Errorf("%s: refused: %s", src, why)
		case want != "" && plan != nil:
			t.Errorf("%s: a runtime split, want none (%s)", src, want)
		case want != "" && !strings.Contains(why, want):
			t.Errorf("%s: refused for %q, want %q", src, why, want)
		}
	}
}

// The runtime image is a tag that exists and has the builder's C library:
// python:latest-slim, python:bookworm-slim and node:-slim do not exist,
// and packages an alpine builder compiled (musl) do not load on slim.
func TestRuntimeBaseTags(t *testing.T) {
	node := "WORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"node\", \"dist/index.js\"]\n"
	pyUser := "WORKDIR /app\nCOPY . .\nRUN pip install --user -r requirements.txt\nCMD [\"python\", \"app.py\"]\n"
	pyVenv := "WORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n"
	for src, want := range map[string]string{
		"FROM node\n" + node:                     "node:slim",
		"FROM node:latest\n" + node:              "node:slim",
		"FROM node:22-alpine\n" + node:           "node:22-alpine",
		"FROM node:lts\n" + node:                 "node:lts-slim",
		"FROM python:3.12-alpine\n" + pyUser:     "python:3.12-alpine",
		"FROM python:3.12\n" + pyUser:            "python:3.12-slim",
		"FROM python\n" + pyUser:                 "python:slim",
		"FROM python:latest\n" + pyVenv:          "python:slim",
		"FROM python:bookworm\n" + pyVenv:        "python:slim",
		"FROM python:3.12.4-bookworm\n" + pyVenv: "python:3.12.4-slim",
	} {
		ix := analysis.Parse(analysis.NewDocument(src))
		plan, why := PlanRuntime(context.Background(), ix, 0, analysis.BuildContext{})
		if plan == nil || plan.Bases[0] != want {
			t.Errorf("%s: plan %v (%s), want a runtime on %s", src, plan, why, want)
		}
	}
}

// A Node split of a Yarn 2+ project is not offered: the prune step it
// would add (yarn install --production) fails there, and Plug'n'Play
// keeps no node_modules to copy. Yarn 1 and pnpm get their prune.
func TestRuntimeYarnBerry(t *testing.T) {
	tail := "RUN yarn build\nCMD [\"node\", \"dist/index.js\"]\n"
	for src, want := range map[string]string{
		"FROM node:22\nWORKDIR /app\nCOPY . .\nRUN yarn install --immutable\n" + tail:                                            "yarn install --immutable",
		"FROM node:22\nWORKDIR /app\nRUN corepack enable && corepack prepare yarn@4.1.0 --activate\nCOPY . .\nRUN yarn\n" + tail: "corepack prepare yarn@4.1.0",
		"FROM node:22\nWORKDIR /app\nCOPY package.json yarn.lock .yarnrc.yml ./\nRUN yarn\nCOPY . .\n" + tail:                    ".yarnrc.yml",
		"FROM node:22\nWORKDIR /app\nCOPY . .\nRUN yarn install --frozen-lockfile\n" + tail:                                      "",
		"FROM node:22\nWORKDIR /app\nRUN corepack prepare yarn@1.22.22 --activate\nCOPY . .\nRUN yarn\n" + tail:                  "",
	} {
		plan, why := PlanRuntime(context.Background(), analysis.Parse(analysis.NewDocument(src)), 0, analysis.BuildContext{})
		switch {
		case want == "" && (plan == nil || !strings.HasPrefix(plan.Prune, "yarn install --production")):
			t.Errorf("%s: plan %v (%s), want a Yarn 1 prune", src, plan, why)
		case want != "" && (plan != nil || !strings.Contains(why, want)):
			t.Errorf("%s: plan %v, reason %q; want none, saying %q", src, plan, why, want)
		}
	}
}

// An exec-form HEALTHCHECK needs no shell: a static Go binary checking
// itself keeps the shell-less runtimes; the shell form does not.
func TestRuntimeHealthcheckShell(t *testing.T) {
	body := "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /bin/server .\n"
	for hc, want := range map[string]bool{
		`HEALTHCHECK CMD ["/bin/server", "-health"]`:               true,
		`HEALTHCHECK --interval=5s CMD ["/bin/server", "-health"]`: true,
		`HEALTHCHECK CMD /bin/server -health`:                      false,
	} {
		plan, why := PlanRuntime(context.Background(), analysis.Parse(analysis.NewDocument(body+hc+"\nCMD [\"/bin/server\"]\n")), 0, analysis.BuildContext{})
		if plan == nil {
			t.Fatalf("%s: no plan: %s", hc, why)
		}
		if got := plan.Fits("gcr.io/distroless/static-debian12"); got != want {
			t.Errorf("%s: distroless fits %v, want %v", hc, got, want)
		}
	}
}

// Whatever the ecosystem, the title and the runtime's comment say that
// what apt-get or apk installed stays in the builder.
func TestRuntimeSystemPackagesSaid(t *testing.T) {
	src := "FROM golang:1.23-alpine\nRUN apk add --no-cache tzdata\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/server .\nCMD [\"/bin/server\"]\n"
	plan, why := PlanRuntime(context.Background(), analysis.Parse(analysis.NewDocument(src)), 0, analysis.BuildContext{})
	if plan == nil || !strings.Contains(plan.Changes, "system package manager stay in the builder") {
		t.Errorf("plan %v (%s): the change is not said", plan, why)
	}
}

// The runtime keeps the final stage's --platform: FROM
// --platform=$BUILDPLATFORM made an image of the build machine's platform,
// and the binary the runtime copies was built for it.
func TestRuntimeKeepsPlatform(t *testing.T) {
	src := "FROM --platform=$BUILDPLATFORM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /bin/server .\nCMD [\"/bin/server\"]\n"
	out, plan := splitOnFirstBase(t, src)
	if want := "FROM --platform=$BUILDPLATFORM " + plan.Bases[0] + "\n"; !strings.Contains(out, want) {
		t.Errorf("no %q in\n%s", want, out)
	}
	// Built for the target (GOARCH=$TARGETARCH): the runtime is of the
	// target platform, and the title says so.
	cross := strings.Replace(src, "CGO_ENABLED=0", "CGO_ENABLED=0 GOARCH=$TARGETARCH", 1)
	cross = strings.Replace(cross, "WORKDIR", "ARG TARGETARCH\nWORKDIR", 1)
	out, plan = splitOnFirstBase(t, cross)
	if !strings.Contains(out, "\nFROM "+plan.Bases[0]+"\n") || !strings.Contains(plan.Changes, "of the target platform") {
		t.Errorf("cross build: changes %q\n%s", plan.Changes, out)
	}
}

// The runtime, which keeps the final stage's name, keeps its description
// for `docker build --call=targets` too.
func TestRuntimeKeepsDescription(t *testing.T) {
	src := "# app serves the API.\nFROM golang:1.23 AS app\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /bin/server .\nCMD [\"/bin/server\"]\n"
	out, _ := splitOnFirstBase(t, src)
	after := analysis.Parse(analysis.NewDocument(out))
	if s := after.StageByName("app"); s < 0 || after.StageDescription(s) != "serves the API." {
		t.Errorf("description of app after the split: %q\n%s", after.StageDescription(s), out)
	}
}

// A Python stage that installs into its own virtual environment gets a
// runtime copying that one, not a second one made in the builder.
func TestRuntimeExistingVenv(t *testing.T) {
	src := "FROM python:3.12\nENV VIRTUAL_ENV=/venv\nRUN python -m venv $VIRTUAL_ENV\nENV PATH=\"$VIRTUAL_ENV/bin:$PATH\"\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n"
	out, _ := splitOnFirstBase(t, src)
	if strings.Contains(out, "/opt/venv") || !strings.Contains(out, "COPY --from=build /venv/ /venv/") || strings.Count(out, "python -m venv") != 1 {
		t.Errorf("not the stage's own virtual environment:\n%s", out)
	}
}

// The virtual environment the Python split makes in /opt needs root: a
// pip install run as another user gets no split, and the reason says so.
func TestRuntimeVenvUser(t *testing.T) {
	for _, flags := range []string{"", "--user "} {
		src := "FROM python:3.12\nWORKDIR /app\nCOPY . .\nUSER 1000\nRUN pip install " + flags + "-r requirements.txt\nCMD [\"python\", \"app.py\"]\n"
		plan, why := PlanRuntime(context.Background(), analysis.Parse(analysis.NewDocument(src)), 0, analysis.BuildContext{})
		if plan != nil || !strings.Contains(why, "as user 1000") {
			t.Errorf("pip install %s: plan %v, reason %q; want none, naming the user", flags, plan, why)
		}
	}
}

// The builder the runtime split names takes no reserved name (a named
// build context of the project would replace a stage so named): "build"
// reserved gives "build-2", as an existing stage "build" would.
func TestSplitBuildRuntimeReservedName(t *testing.T) {
	src := "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\nCMD [\"/out/app\"]\n"
	ix := analysis.Parse(analysis.NewDocument(src))
	for reserved, want := range map[string]string{"": " AS build\n", "BUILD": " AS build-2\n", "other": " AS build\n"} {
		var names []string
		if reserved != "" {
			names = append(names, reserved)
		}
		plan, why := PlanRuntime(context.Background(), ix, 0, analysis.BuildContext{}, names...)
		if plan == nil {
			t.Fatalf("no plan: %s", why)
		}
		out, err := analysis.ApplyEdits(src, SplitBuildRuntime(ix, 0, plan, plan.Bases[0]))
		if err != nil {
			t.Fatal(err)
		}
		if first, _, _ := strings.Cut(out, "WORKDIR"); !strings.HasSuffix(first, want) {
			t.Errorf("reserved %q: the builder's FROM is %q, want one ending %q", reserved, first, want)
		}
	}
}

// splitOnFirstBase applies the runtime split of src's only stage on the
// plan's first base, and returns the result with the plan.
func splitOnFirstBase(t *testing.T, src string) (string, *RuntimePlan) {
	t.Helper()
	ix := analysis.Parse(analysis.NewDocument(src))
	plan, why := PlanRuntime(context.Background(), ix, 0, analysis.BuildContext{})
	if plan == nil {
		t.Fatal(why)
	}
	out, err := analysis.ApplyEdits(src, SplitBuildRuntime(ix, 0, plan, plan.Bases[0]))
	if err != nil {
		t.Fatal(err)
	}
	return out, plan
}

// A Yarn 2+ project known only from the build context (package.json's
// packageManager, .yarnrc.yml, a release in .yarn/releases, a yarn.lock in
// Yarn 2's format) gets no Node runtime split, and the reason names the
// file; files the stage does not copy, or the .dockerignore leaves out,
// do not count.
func TestRuntimeYarnBerryContext(t *testing.T) {
	all := "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN yarn install --frozen-lockfile && yarn build\nCMD [\"node\", \"dist/index.js\"]\n"
	manifests := "FROM node:22\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\nCOPY src ./src\nRUN yarn build\nCMD [\"node\", \"dist/index.js\"]\n"
	mono := "FROM node:22\nWORKDIR /repo\nCOPY . .\nRUN yarn install --frozen-lockfile\nWORKDIR /repo/packages/web\nRUN yarn build\nCMD [\"node\", \"dist/index.js\"]\n"
	berryLock := "yarn.lock=# This file is generated by running \"yarn install\" inside your project.\n\n__metadata:\n  version: 8\n"
	classicLock := "yarn.lock=# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n"
	for _, c := range []struct {
		name, src string
		files     []string
		ignore    []string
		want      string // "" for a Yarn 1 prune
	}{
		{"packageManager", all, []string{`package.json={"packageManager": "yarn@4.5.1"}`, classicLock}, nil, "package.json has packageManager yarn@4.5.1"},
		{"packageManager yarn 1", all, []string{`package.json={"packageManager": "yarn@1.22.22"}`, classicLock}, nil, ""},
		{"yarnrc", all, []string{"package.json={}", ".yarnrc.yml=nodeLinker: node-modules\n"}, nil, ".yarnrc.yml is in the build context"},
		{"yarnrc ignored", all, []string{"package.json={}", ".yarnrc.yml=nodeLinker: node-modules\n"}, []string{".yarnrc.yml"}, ""},
		{"release", all, []string{"package.json={}", ".yarn/releases/yarn-4.5.1.cjs"}, nil, ".yarn/releases/yarn-4.5.1.cjs"},
		{"berry lock", all, []string{"package.json={}", berryLock}, nil, "yarn.lock is in Yarn 2's format"},
		{"classic lock", all, []string{"package.json={}", classicLock}, nil, ""},
		{"manifests copied", manifests, []string{`package.json={"packageManager": "yarn@3.6.0"}`, classicLock}, nil, "packageManager yarn@3.6.0"},
		{"yarnrc not copied", manifests, []string{"package.json={}", classicLock, ".yarnrc.yml=yarnPath: x\n"}, nil, ""},
		{"workspace member", mono, []string{"package.json={}", classicLock, `packages/web/package.json={"packageManager": "yarn@4.0.0"}`}, nil, "packages/web/package.json"},
		{"workspace root", mono, []string{"package.json={}", berryLock, "packages/web/package.json={}"}, nil, "yarn.lock is in Yarn 2's format"},
	} {
		bctx := analysis.BuildContext{FS: testgen.MapFS(c.files...)}
		if c.ignore != nil {
			pm, err := patternmatcher.New(c.ignore)
			if err != nil {
				t.Fatal(err)
			}
			bctx.Ignore = pm
		}
		plan, why := PlanRuntime(context.Background(), analysis.Parse(analysis.NewDocument(c.src)), 0, bctx)
		switch {
		case c.want == "" && (plan == nil || !strings.HasPrefix(plan.Prune, "yarn install --production")):
			t.Errorf("%s: plan %v (%s), want a Yarn 1 prune", c.name, plan, why)
		case c.want != "" && (plan != nil || !strings.Contains(why, c.want) || !strings.Contains(why, "Yarn 2 or later")):
			t.Errorf("%s: plan %v, reason %q; want none, saying %q", c.name, plan, why, c.want)
		}
	}
}

// A final stage built FROM ${BASE} gets a runtime split where the runtime
// base does not depend on the builder image (a static Go binary, a static
// site), planned from the ARG's default, and the builder keeps its FROM
// so the ARG still sets it; elsewhere it is refused, saying why.
func TestRuntimeArgBase(t *testing.T) {
	goBody := "WORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /bin/server .\nCMD [\"/bin/server\"]\n"
	nodeBody := "WORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"node\", \"dist/index.js\"]\n"
	siteBody := "WORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"npx\", \"serve\", \"-s\", \"dist\", \"-l\", \"3000\"]\n"
	for _, c := range []struct {
		src, want, why string // want: the first runtime base; why: the refusal
	}{
		{"ARG BASE=golang:1.23\nFROM ${BASE}\n" + goBody, "gcr.io/distroless/static-debian12", ""},
		{"ARG GO=1.23\nARG BASE=golang:${GO}-alpine\nFROM $BASE AS app\n" + goBody, "gcr.io/distroless/static-debian12", ""},
		{"ARG BASE=node:22\nFROM ${BASE}\n" + siteBody, "nginx:alpine", ""},
		{"ARG BASE=node:22\nFROM ${BASE}\n" + nodeBody, "", "FROM ${BASE} (node:22 by default): a Node runtime base must match the builder image"},
		{"ARG BASE\nFROM ${BASE}\n" + goBody, "", "whose default names no image"},
		{"ARG BASE=builder\nFROM golang:1.23 AS builder\nRUN true\nFROM ${BASE}\n" + goBody, "", "not built on a named image"},
	} {
		ix := analysis.Parse(analysis.NewDocument(c.src))
		s := ix.StageCount() - 1
		plan, why := PlanRuntime(context.Background(), ix, s, analysis.BuildContext{})
		switch {
		case c.want != "" && (plan == nil || plan.Bases[0] != c.want):
			t.Errorf("%s: plan %v (%s), want a runtime on %s", c.src, plan, why, c.want)
		case c.want == "" && (plan != nil || !strings.Contains(why, c.why)):
			t.Errorf("%s: plan %v, reason %q; want none, saying %q", c.src, plan, why, c.why)
		case plan != nil:
			out, err := analysis.ApplyEdits(c.src, SplitBuildRuntime(ix, s, plan, plan.Bases[0]))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, "\nFROM "+ix.Stage(s).Base+" AS ") || !strings.Contains(out, "\nFROM "+c.want) {
				t.Errorf("%s: the builder does not keep its FROM:\n%s", c.src, out)
			}
		}
	}
}

// bun run build on bun's image gets a runtime on bun's slim (or, for an
// alpine builder, alpine) image, with package.json, node_modules and the
// output the command runs; no prune step (bun has none), which the
// title's changes say. bun on node's image, or node's tools on bun's, get
// none.
func TestRuntimeBun(t *testing.T) {
	body := "WORKDIR /app\nCOPY . .\nRUN bun install --frozen-lockfile\nRUN bun run build\n"
	for _, c := range []struct{ src, want string }{
		{"FROM oven/bun:1\n" + body + "CMD [\"bun\", \"dist/index.js\"]\n", "oven/bun:1-slim"},
		{"FROM oven/bun:1.1.38-alpine\n" + body + "CMD bun run dist/server.js\n", "oven/bun:1.1.38-alpine"},
		{"FROM oven/bun\n" + body + "ENTRYPOINT [\"bun\", \"./build/index.js\"]\n", "oven/bun:slim"},
		{"FROM oven/bun:1\n" + body + "CMD [\"bun\", \"run\", \"start\"]\n", ""},
		{"FROM node:22\n" + body + "CMD [\"bun\", \"dist/index.js\"]\n", ""},
		{"FROM oven/bun:1\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"bun\", \"dist/index.js\"]\n", ""},
	} {
		ix := analysis.Parse(analysis.NewDocument(c.src))
		plan, why := PlanRuntime(context.Background(), ix, 0, analysis.BuildContext{})
		switch {
		case c.want == "" && plan != nil:
			t.Errorf("%s: a runtime split on %v", c.src, plan.Bases)
		case c.want == "":
		case plan == nil || plan.Bases[0] != c.want || plan.Prune != "" || !strings.Contains(plan.Changes, "dev dependencies kept"):
			t.Errorf("%s: plan %+v (%s), want a runtime on %s keeping the dev dependencies", c.src, plan, why, c.want)
		default:
			out, err := analysis.ApplyEdits(c.src, SplitBuildRuntime(ix, 0, plan, plan.Bases[0]))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range []string{"/app/node_modules/ /app/node_modules/", "/app/package.json /app/package.json", "\nFROM " + c.want + "\n"} {
				if !strings.Contains(out, w) {
					t.Errorf("%s: no %q in\n%s", c.src, w, out)
				}
			}
		}
	}
}
