package refactor

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/patternmatcher"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// mapContext builds a build context from "path" or "path=content" items.
func mapContext(files ...string) analysis.BuildContext {
	return analysis.BuildContext{FS: testgen.MapFS(files...)}
}

// TestPlanLayersEcosystems checks the manifests copied before each kind of
// dependency install, per package manager and workspace kind, and where
// no plan is made.
func TestPlanLayersEcosystems(t *testing.T) {
	single := map[string]analysis.BuildContext{
		"npm":      mapContext("package.json={}", "package-lock.json", "src/index.js"),
		"yarn":     mapContext("package.json={}", "yarn.lock", ".yarnrc.yml", ".yarn/releases/yarn.cjs"),
		"pnpm":     mapContext("package.json={}", "pnpm-lock.yaml", ".npmrc"),
		"pip":      mapContext("requirements.txt", "constraints.txt", "app.py"),
		"poetry":   mapContext("pyproject.toml", "poetry.lock"),
		"pipenv":   mapContext("Pipfile", "Pipfile.lock"),
		"uv":       mapContext("pyproject.toml", "uv.lock", ".python-version"),
		"go":       mapContext("go.mod=module x", "go.sum", "main.go"),
		"bundle":   mapContext("Gemfile", "Gemfile.lock"),
		"composer": mapContext("composer.json", "composer.lock"),
		"mvn":      mapContext("pom.xml=<project/>", "mvnw", ".mvn/wrapper/maven-wrapper.properties"),
		"gradle":   mapContext("build.gradle.kts", "settings.gradle.kts=rootProject.name = \"x\"", "gradlew", "gradle/wrapper/gradle-wrapper.properties"),
		"dotnet":   mapContext("App.csproj", "Program.cs", "bin/Debug/x.dll"),
	}
	for _, tc := range []struct {
		ctx, install string
		manifests    []string // nil: no plan
	}{
		{"npm", "npm ci", []string{"COPY package.json package-lock.json ./"}},
		{"npm", "--mount=type=cache,target=/root/.npm npm ci", []string{"COPY package.json package-lock.json ./"}},
		{"npm", "npm install --omit=dev", []string{"COPY package.json package-lock.json ./"}},
		{"yarn", "yarn install --frozen-lockfile", []string{"COPY package.json yarn.lock .yarnrc.yml ./", "COPY .yarn/releases/ ./.yarn/releases/"}},
		{"pnpm", "pnpm install --frozen-lockfile", []string{"COPY package.json pnpm-lock.yaml .npmrc ./"}},
		{"pip", "pip install --no-cache-dir -r requirements.txt", []string{"COPY requirements.txt ./"}},
		{"pip", "python -m pip install -r requirements.txt -c constraints.txt", []string{"COPY requirements.txt constraints.txt ./"}},
		{"poetry", "poetry install --no-root", []string{"COPY pyproject.toml poetry.lock ./"}},
		{"pipenv", "pipenv install --deploy --system", []string{"COPY Pipfile Pipfile.lock ./"}},
		{"go", "go mod download", []string{"COPY go.mod go.sum ./"}},
		{"bundle", "bundle install", []string{"COPY Gemfile Gemfile.lock ./"}},
		{"composer", "composer install --no-dev --no-scripts", []string{"COPY composer.json composer.lock ./"}},
		{"mvn", "mvn -B dependency:go-offline", []string{"COPY pom.xml mvnw ./", "COPY .mvn/ ./.mvn/"}},
		{"mvn", "./mvnw -B dependency:go-offline", []string{"COPY pom.xml mvnw ./", "COPY .mvn/ ./.mvn/"}},
		{"gradle", "./gradlew dependencies --no-daemon", []string{"COPY settings.gradle.kts build.gradle.kts gradlew ./", "COPY gradle/ ./gradle/"}},
		{"dotnet", "dotnet restore", []string{"COPY App.csproj ./"}},
		{"npm", "apt-get update && apt-get install -y curl", []string{}}, // moves, copies nothing
		{"npm", "npm run build", nil},
		{"npm", "npm ci && npm run build", nil},
		{"pip", "pip install -r requirements/prod.txt", nil},
		{"pip", "pip install .", nil},
		{"poetry", "poetry install", nil}, // installs the project itself: needs the source
		{"composer", "composer install", nil},
		{"npm", "npm ci | tee log", nil},
		{"npm", "pip install -r requirements.txt", nil}, // the context has no requirements.txt
		{"go", "npm ci", nil},                           // ... no package.json
	} {
		text := "FROM base\nWORKDIR /app\nCOPY . .\nRUN " + tc.install + "\nCMD [\"x\"]\n"
		ix := analysis.Parse(analysis.NewDocument(text))
		plan, reason := PlanLayers(ix, 0, single[tc.ctx])
		switch {
		case tc.manifests == nil:
			if plan != nil {
				t.Errorf("%q: unexpected plan %q", tc.install, plan.Edit.Text)
			}
		case plan == nil:
			t.Errorf("%q: no plan: %s", tc.install, reason)
		default:
			if diff := cmp.Diff(tc.manifests, plan.ManifestCopies, cmp.Transformer("nilEmpty", func(s []string) []string {
				if s == nil {
					return []string{}
				}
				return s
			})); diff != "" {
				t.Errorf("%q: manifest copies (-want +got):\n%s", tc.install, diff)
			}
		}
	}
	// Without a build context only system packages move.
	if plan, _ := PlanLayers(analysis.Parse(analysis.NewDocument("FROM b\nWORKDIR /app\nCOPY . .\nRUN npm ci\n")), 0, analysis.BuildContext{}); plan != nil {
		t.Errorf("npm ci moved without a build context:\n%s", plan.Edit.Text)
	}
}

// TestPlanLayersWorkspaces checks that every member manifest of each kind
// of workspace is copied, keeping the folder layout: with COPY --parents
// where the pinned frontend has it, else one COPY per folder.
func TestPlanLayersWorkspaces(t *testing.T) {
	for _, tc := range []struct {
		name, syntax, install string
		ctx                   analysis.BuildContext
		want                  []string
		kind                  string
	}{
		{"pnpm", "", "pnpm install --frozen-lockfile",
			mapContext("package.json={}", "pnpm-lock.yaml", "pnpm-workspace.yaml=packages:\n  - 'packages/*'\n  - 'apps/*'\n  - '!apps/legacy'\n",
				"packages/ui/package.json={}", "packages/ui/src/x.ts", "apps/web/package.json={}", "apps/legacy/package.json={}", "patches/a.patch"),
			[]string{"COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./", "COPY patches/ ./patches/",
				"COPY apps/web/package.json ./apps/web/", "COPY packages/ui/package.json ./packages/ui/"}, "pnpm workspace"},
		{"pnpm with --parents", "# syntax=docker/dockerfile:1.7-labs\n", "pnpm install --frozen-lockfile",
			mapContext("package.json={}", "pnpm-lock.yaml", "pnpm-workspace.yaml=packages: ['packages/*']", "packages/a/package.json={}", "packages/b/package.json={}"),
			[]string{"COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./", "COPY --parents packages/a/package.json packages/b/package.json ./"}, "pnpm workspace"},
		{"old frontend: no --parents", "# syntax=docker/dockerfile:1.6\n", "pnpm install",
			mapContext("package.json={}", "pnpm-lock.yaml", "pnpm-workspace.yaml=packages: ['packages/*']", "packages/a/package.json={}"),
			[]string{"COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./", "COPY packages/a/package.json ./packages/a/"}, "pnpm workspace"},
		{"yarn workspaces", "", "yarn install --immutable",
			mapContext(`package.json={"workspaces": ["libs/*"]}`, "yarn.lock", "libs/core/package.json={}"),
			[]string{"COPY package.json yarn.lock ./", "COPY libs/core/package.json ./libs/core/"}, "yarn workspaces"},
		{"npm workspaces", "", "npm ci",
			mapContext(`package.json={"workspaces": {"packages": ["svc/**"]}}`, "package-lock.json", "svc/a/package.json={}", "svc/b/c/package.json={}"),
			[]string{"COPY package.json package-lock.json ./", "COPY svc/a/package.json ./svc/a/", "COPY svc/b/c/package.json ./svc/b/c/"}, "npm workspaces"},
		{"go workspace", "", "go mod download",
			mapContext("go.work=go 1.23\nuse (\n\t./api\n\t./lib\n)\n", "go.work.sum", "api/go.mod", "api/go.sum", "lib/go.mod"),
			[]string{"COPY go.work go.work.sum ./", "COPY api/go.mod api/go.sum ./api/", "COPY lib/go.mod ./lib/"}, "Go workspace"},
		{"uv workspace", "", "uv sync --frozen --no-install-workspace",
			mapContext("pyproject.toml=[project]\nname = \"x\"\n[tool.uv.workspace]\nmembers = [\"packages/*\"]\n", "uv.lock", "packages/a/pyproject.toml"),
			[]string{"COPY pyproject.toml uv.lock ./", "COPY packages/a/pyproject.toml ./packages/a/"}, "uv workspace"},
		{"maven modules", "", "mvn -B dependency:go-offline",
			mapContext("pom.xml=<project><modules><module>core</module><module>web</module></modules></project>", "core/pom.xml=<project/>",
				"web/pom.xml=<project><modules><module>ui</module></modules></project>", "web/ui/pom.xml=<project/>"),
			[]string{"COPY pom.xml ./", "COPY core/pom.xml ./core/", "COPY web/pom.xml ./web/", "COPY web/ui/pom.xml ./web/ui/"}, "Maven modules"},
		{"gradle multi-project", "", "gradle dependencies",
			mapContext("settings.gradle=include 'app', 'lib:util'\n", "build.gradle", "app/build.gradle", "lib/util/build.gradle.kts"),
			[]string{"COPY settings.gradle build.gradle ./", "COPY app/build.gradle ./app/", "COPY lib/util/build.gradle.kts ./lib/util/"}, "Gradle multi-project"},
		{".NET solution", "", "dotnet restore",
			mapContext("App.sln", "src/Api/Api.csproj", "src/Core/Core.csproj", "Directory.Packages.props", "src/Api/obj/x.json"),
			[]string{"COPY App.sln Directory.Packages.props ./", "COPY src/Api/Api.csproj ./src/Api/", "COPY src/Core/Core.csproj ./src/Core/"}, ".NET solution"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := tc.syntax + "FROM base\nWORKDIR /app\nCOPY . .\nRUN " + tc.install + "\nCMD [\"x\"]\n"
			plan, reason := PlanLayers(analysis.Parse(analysis.NewDocument(text)), 0, tc.ctx)
			if plan == nil {
				t.Fatalf("no plan: %s", reason)
			}
			if diff := cmp.Diff(tc.want, plan.ManifestCopies); diff != "" {
				t.Errorf("manifest copies (-want +got):\n%s", diff)
			}
			if plan.Workspace != tc.kind {
				t.Errorf("workspace %q, want %q", plan.Workspace, tc.kind)
			}
		})
	}
}

// TestPlanLayersPatterns checks the established patterns are left alone
// and the rewrites experts expect.
func TestPlanLayersPatterns(t *testing.T) {
	pnpm := mapContext("package.json={}", "pnpm-lock.yaml", "pnpm-workspace.yaml=packages: ['packages/*']", "packages/a/package.json={}")
	for _, text := range []string{
		"FROM node\nWORKDIR /app\nCOPY pnpm-lock.yaml ./\nRUN pnpm fetch\nCOPY . .\nRUN pnpm install --offline\n",
		"FROM rust AS builder\nWORKDIR /app\nCOPY --from=planner /app/recipe.json recipe.json\nRUN cargo chef cook --release --recipe-path recipe.json\nCOPY . .\nRUN cargo build --release\n",
		"FROM golang\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\nCOPY . .\nRUN go build -o /app\n",
		"FROM golang\nWORKDIR /src\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=bind,source=go.sum,target=go.sum --mount=type=bind,source=go.mod,target=go.mod go mod download -x\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\nRUN go build -o /app\n",
		"FROM python\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-install-project\nCOPY . .\nRUN uv sync --frozen\n",
		"FROM node\nCOPY . .\nEXPOSE 3000\nRUN npm test\n", // EXPOSE moves for no gain
	} {
		if plan, _ := PlanLayers(analysis.Parse(analysis.NewDocument(text)), 0, pnpm); plan != nil {
			t.Errorf("%q: unexpected plan:\n%s", text, plan.Edit.Text)
		}
	}
	// No dependency step: a vendored Go build; a Maven build whose fetch
	// moves on its own; a Gradle multi-project (root dependencies only).
	for _, tc := range []struct {
		text string
		ctx  analysis.BuildContext
		want string // the edit, "" for no plan
	}{
		{"FROM golang\nWORKDIR /src\nCOPY . .\nRUN go build -mod=vendor -o /app .\n", mapContext("go.mod=module x", "vendor/modules.txt"), ""},
		{"FROM maven\nWORKDIR /b\nCOPY . .\nRUN mvn -B dependency:go-offline\nRUN mvn package\n", mapContext("pom.xml=<project/>"),
			"COPY pom.xml ./\nRUN mvn -B dependency:go-offline\nCOPY . .\n"},
		// A multi-project build: the root's and each project's dependencies.
		{"FROM gradle\nWORKDIR /p\nCOPY . .\nRUN gradle build\n", mapContext("settings.gradle=include 'a'", "build.gradle", "a/build.gradle"),
			"COPY settings.gradle build.gradle ./\nCOPY a/build.gradle ./a/\nRUN gradle dependencies :a:dependencies\nCOPY . .\n"},
		// A project moved to another folder, or another build included: not offered.
		{"FROM gradle\nWORKDIR /p\nCOPY . .\nRUN gradle build\n", mapContext("settings.gradle=include 'a'\nproject(':a').projectDir = file('x')", "build.gradle", "x/build.gradle"), ""},
		{"FROM gradle\nWORKDIR /p\nCOPY . .\nRUN gradle build\n", mapContext("settings.gradle=include 'a'\nincludeBuild 'tools'", "build.gradle", "a/build.gradle"), ""},
		// dotnet restore before a publish without one; plain cargo gets cargo fetch.
		{"FROM sdk\nWORKDIR /s\nCOPY . .\nRUN dotnet publish App.csproj -c Release -o /app\n", mapContext("App.csproj=<Project/>"),
			"COPY App.csproj ./\nRUN dotnet restore App.csproj\nCOPY . .\n"},
		{"FROM rust\nWORKDIR /s\nCOPY . .\nRUN cargo build --release\n", mapContext("Cargo.toml=[package]", "Cargo.lock"),
			"COPY Cargo.toml Cargo.lock ./\nRUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo fetch && rm -r src\nCOPY . .\n"},
		{"FROM rust\nWORKDIR /s\nCOPY . .\nRUN cargo build --release\n", mapContext("Cargo.toml=[workspace]", "Cargo.lock"), ""},
		// cargo install --path . (the rust image's documented use) builds the
		// package too; without --locked it resolves afresh: nothing to fetch.
		{"FROM rust:1.82\nWORKDIR /usr/src/app\nCOPY . .\nRUN cargo install --locked --path .\n", mapContext("Cargo.toml=[package]", "Cargo.lock"),
			"COPY Cargo.toml Cargo.lock ./\nRUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo fetch --locked && rm -r src\nCOPY . .\n"},
		{"FROM rust:1.82\nWORKDIR /usr/src/app\nCOPY . .\nRUN cargo install --path .\n", mapContext("Cargo.toml=[package]", "Cargo.lock"), ""},
		{"FROM rust:1.82\nWORKDIR /usr/src/app\nCOPY . .\nRUN cargo install --locked --path ./cli\n", mapContext("Cargo.toml=[package]", "Cargo.lock"), ""},
	} {
		plan, _ := PlanLayers(analysis.Parse(analysis.NewDocument(tc.text)), 0, tc.ctx)
		got := ""
		if plan != nil {
			got = plan.Edit.Text
		}
		if got != tc.want {
			t.Errorf("%q: plan %q, want %q", tc.text, got, tc.want)
		}
	}
	for _, tc := range []struct {
		name, text string
		ctx        analysis.BuildContext
		want       string
	}{
		{"go mod download after a WORKDIR change", "FROM golang\nCOPY . /src\nWORKDIR /src\nRUN go mod download\nRUN go build -o /app\n",
			mapContext("go.mod=module x", "go.sum"),
			"WORKDIR /src\nCOPY go.mod go.sum /src/\nRUN go mod download\nCOPY . /src\n"},
		{"dotnet restore after a WORKDIR change", "FROM sdk\nCOPY . /source\nWORKDIR /source\nRUN dotnet restore\nRUN dotnet publish -o /app\n",
			mapContext("Api.csproj", "Program.cs"),
			"WORKDIR /source\nCOPY Api.csproj /source/\nRUN dotnet restore\nCOPY . /source\n"},
		{"uv sync gets a dependency step", "FROM python\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen\n",
			mapContext("pyproject.toml", "uv.lock"),
			"COPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-install-project\nCOPY . .\n"},
		{"a subfolder of the context", "FROM node\nWORKDIR /app\nCOPY web/ .\nRUN npm ci\n",
			mapContext("web/package.json={}", "web/package-lock.json", "web/src/a.js", "package.json={}"),
			"COPY web/package.json web/package-lock.json ./\nRUN npm ci\nCOPY web/ .\n"},
		{"mvn package gets dependency:go-offline", "FROM maven\nWORKDIR /build\nCOPY . .\nRUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package\n",
			mapContext("pom.xml=<project/>"),
			"COPY pom.xml ./\nRUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests dependency:go-offline\nCOPY . .\n"},
		// A module depending on another: dependency:go-offline of the
		// plugin Maven picks by default up to 3.9.2 (2.8) fails on it
		// (MDEP-204); a version with the fix is named.
		{"mvn package of modules that depend on each other", "FROM maven:3.8-openjdk-17\nWORKDIR /build\nCOPY . .\nRUN mvn -B package\n",
			mapContext("pom.xml=<project><artifactId>parent</artifactId><modules><module>lib</module><module>app</module></modules></project>",
				"lib/pom.xml=<project><parent><artifactId>parent</artifactId></parent><artifactId>lib</artifactId></project>",
				"app/pom.xml=<project><parent><artifactId>parent</artifactId></parent><artifactId>app</artifactId><dependencies><dependency><groupId>${project.groupId}</groupId><artifactId>lib</artifactId></dependency></dependencies></project>"),
			"COPY pom.xml ./\nCOPY lib/pom.xml ./lib/\nCOPY app/pom.xml ./app/\nRUN mvn -B org.apache.maven.plugins:maven-dependency-plugin:3.6.1:go-offline\nCOPY . .\n"},
		{"mvn package of independent modules", "FROM maven:3.8-openjdk-17\nWORKDIR /build\nCOPY . .\nRUN mvn -B package\n",
			mapContext("pom.xml=<project><artifactId>parent</artifactId><modules><module>lib</module><module>app</module></modules></project>",
				"lib/pom.xml=<project><parent><artifactId>parent</artifactId></parent><artifactId>lib</artifactId></project>",
				"app/pom.xml=<project><parent><artifactId>parent</artifactId></parent><artifactId>app</artifactId><dependencies><dependency><artifactId>guava</artifactId></dependency></dependencies></project>"),
			"COPY pom.xml ./\nCOPY lib/pom.xml ./lib/\nCOPY app/pom.xml ./app/\nRUN mvn -B dependency:go-offline\nCOPY . .\n"},
		{"gradle build gets dependencies", "FROM gradle\nWORKDIR /p\nCOPY . .\nRUN gradle build --no-daemon\n",
			mapContext("build.gradle", "settings.gradle=rootProject.name = 'p'"),
			"COPY settings.gradle build.gradle ./\nRUN gradle dependencies --no-daemon\nCOPY . .\n"},
		{"go build gets go mod download", "FROM golang\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n",
			mapContext("go.mod=module x", "go.sum"),
			"COPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n"},
		{"EXPOSE stays", "FROM node\nWORKDIR /app\nCOPY . .\nEXPOSE 3000\nRUN npm ci\n",
			mapContext("package.json={}", "package-lock.json"),
			"COPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nEXPOSE 3000\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plan, reason := PlanLayers(analysis.Parse(analysis.NewDocument(tc.text)), 0, tc.ctx)
			if plan == nil {
				t.Fatalf("no plan: %s", reason)
			}
			if diff := cmp.Diff(tc.want, plan.Edit.Text); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlanLayersKeepsDependencies checks instructions that must not move.
func TestPlanLayersKeepsDependencies(t *testing.T) {
	ctx := mapContext("package.json={}", "package-lock.json")
	for _, text := range []string{
		"FROM b\nCOPY . .\nWORKDIR /app\nRUN npm ci\n", // the RUN would change directory
		"FROM b\nCOPY . .\nUSER node\nRUN npm ci\n",    // ... or user
		"FROM b\nCOPY . .\nSHELL [\"/bin/bash\", \"-c\"]\nRUN npm ci\n",
		"FROM b\nCOPY . .\nRUN ./configure\nRUN apt-get install -y x\n", // RUNs keep their order
		"FROM b\nCOPY . /src\nRUN npm ci\n",                             // manifests would land elsewhere
		"FROM b\nCOPY . .\nRUN --mount=type=bind,target=/x npm ci\n",
		"FROM b\nCOPY . .\nRUN --mount=type=cache,from=cachestage,target=/x npm ci\n",
		"FROM b\nCOPY . .\nEXPOSE 80\n", // only metadata: not worth it
	} {
		if plan, _ := PlanLayers(analysis.Parse(analysis.NewDocument(text)), 0, ctx); plan != nil {
			t.Errorf("%q: unexpected plan:\n%s", text, plan.Edit.Text)
		}
	}
	// An ENV or ARG that a moved RUN follows moves with it, above it, so the
	// RUN keeps its environment.
	text := "FROM b\nWORKDIR /app\nCOPY . .\nENV CI=true\nRUN npm ci\nRUN npm test\n"
	plan, reason := PlanLayers(analysis.Parse(analysis.NewDocument(text)), 0, ctx)
	if plan == nil {
		t.Fatalf("no plan: %s", reason)
	}
	want := "ENV CI=true\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n"
	if plan.Edit.Text != want {
		t.Errorf("plan:\n%s\nwant:\n%s", plan.Edit.Text, want)
	}
}

// TestFrontendAllowsParents checks that the layer planner's COPY --parents
// check reads the Features table: --parents came in 1.7-labs and 1.20.
func TestFrontendAllowsParents(t *testing.T) {
	for syntax, want := range map[string]bool{
		"":                                      false,
		"# syntax=docker/dockerfile:1.4-labs\n": false,
		"# syntax=docker/dockerfile:1.7-labs\n": true,
		"# syntax=docker/dockerfile:1.6\n":      false,
		"# syntax=docker/dockerfile:1.20\n":     true,
		"# syntax=docker/dockerfile:1\n":        true,
		"# syntax=example.com/frontend:1.20\n":  false,
	} {
		if got := frontendAllowsParents(analysis.Parse(analysis.NewDocument(syntax + "FROM a\n"))); got != want {
			t.Errorf("%q: %v, want %v", syntax, got, want)
		}
	}
}

// TestPlanLayersReasons checks that a refused reorder names the install
// that cannot move and why, not only that none can.
func TestPlanLayersReasons(t *testing.T) {
	ctx := mapContext("package.json={}", "package-lock.json", "go.mod=module x", "go.sum", "services/api/go.mod=module y", "composer.json={}", "composer.lock", "Gemfile", "Gemfile.lock")
	for text, want := range map[string]string{
		"FROM node\nWORKDIR /app\nCOPY . .\nRUN <<EOF\nnpm ci\nEOF\n":                                          "install at line 4 is a heredoc script",
		"FROM golang\nWORKDIR /src\nCOPY . .\nRUN --mount=type=bind,source=go.mod,target=/x go mod download\n": "install at line 4 has a --mount",
		"FROM golang\nWORKDIR /src\nCOPY . .\nWORKDIR /src/services/api\nRUN go mod download\n":                "install at line 5 runs in /src/services/api, not in /src",
		// Installs the planner does not take as dependency installs say so
		// (q39: "no RUN after the source copy can move above it" before).
		"FROM php:8.3\nWORKDIR /app\nCOPY . .\nRUN composer install --no-dev --optimize-autoloader\n":             "install at line 4 (composer install) runs the project's scripts and builds its autoloader",
		"FROM ruby:3.3\nWORKDIR /rails\nCOPY . .\nRUN bundle install && rm -rf \"${BUNDLE_PATH}\"/ruby/*/cache\n": "install at line 4 (bundle install) is in a script the planner cannot read",
		"FROM node\nWORKDIR /app\nCOPY . .\nRUN npm install ./vendor/pkg.tgz\n":                                   "install at line 4 (npm install) reads the source as written",
	} {
		plan, reason := PlanLayers(analysis.Parse(analysis.NewDocument(text)), 0, ctx)
		if plan != nil || !strings.Contains(reason, want) {
			t.Errorf("%q: plan %v, reason %q, want a refusal saying %q", text, plan, reason, want)
		}
	}
}

// TestPlanLayersPipSubfolder checks a pip install of a requirements file
// in a folder (requirements/prod.txt, the layout of many guides) is
// reordered, its includes copied in their folders; one outside the
// folder (../x.txt) or built from a variable is not.
func TestPlanLayersPipSubfolder(t *testing.T) {
	ctx := mapContext("requirements/prod.txt=-r base.txt\n-c ../constraints.txt\ngunicorn\n", "requirements/base.txt=flask\n", "constraints.txt=flask==3\n")
	text := "FROM python:3.12\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements/prod.txt\n"
	plan, reason := PlanLayers(analysis.Parse(analysis.NewDocument(text)), 0, ctx)
	if plan == nil {
		t.Fatalf("not offered: %s", reason)
	}
	want := []string{"COPY constraints.txt ./", "COPY requirements/prod.txt requirements/base.txt ./requirements/"}
	if strings.Join(plan.ManifestCopies, "\n") != strings.Join(want, "\n") {
		t.Errorf("copies %q, want %q", plan.ManifestCopies, want)
	}
	for _, f := range []string{"../requirements.txt", "$REQ", "/srv/requirements.txt"} {
		text := "FROM python:3.12\nWORKDIR /srv\nCOPY . .\nRUN pip install -r " + f + "\n"
		if plan, _ := PlanLayers(analysis.Parse(analysis.NewDocument(text)), 0, ctx); plan != nil {
			t.Errorf("-r %s: offered", f)
		}
	}
}

// An install's output folder in the build context (node_modules, .venv,
// vendor, obj) that the source copy brings would, copied after the moved
// install, overwrite what it installed: no reorder, saying so; offered
// when the .dockerignore or the copy's --exclude leaves it out. Bundler's
// .bundle/config, which it reads, is copied with the Gemfile.
func TestPlanLayersClobber(t *testing.T) {
	ignoring := func(pattern string, files ...string) analysis.BuildContext {
		ctx := mapContext(files...)
		pm, err := patternmatcher.New([]string{pattern})
		if err != nil {
			t.Fatal(err)
		}
		ctx.Ignore = pm
		return ctx
	}
	for _, c := range []struct {
		name, src string
		ctx       analysis.BuildContext
		want      string // the refusal, or (with a plan) a line of its edit
	}{
		{"npm node_modules", "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\n",
			mapContext("package.json={}", "package-lock.json", "node_modules/left/index.js"), "brings node_modules from the build context"},
		{"npm node_modules ignored", "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\n",
			ignoring("node_modules", "package.json={}", "package-lock.json", "node_modules/left/index.js"), "RUN npm ci"},
		{"npm node_modules excluded", "# syntax=docker/dockerfile:1.7-labs\nFROM node:22\nWORKDIR /app\nCOPY --exclude=node_modules . .\nRUN npm ci\n",
			mapContext("package.json={}", "package-lock.json", "node_modules/left/index.js"), "RUN npm ci"},
		{"workspace member node_modules", "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
			mapContext(`package.json={"workspaces": ["packages/*"]}`, "package-lock.json", "packages/a/package.json={}", "packages/a/node_modules/x/index.js"), "brings packages/a/node_modules"},
		{"uv .venv", "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen\n",
			mapContext("pyproject.toml", "uv.lock", ".venv/pyvenv.cfg"), "brings .venv"},
		{"composer vendor", "FROM php:8.3\nWORKDIR /app\nCOPY . .\nRUN composer install --no-scripts --no-autoloader\n",
			mapContext("composer.json={}", "composer.lock", "vendor/autoload.php"), "brings vendor"},
		{"bundle config", "FROM ruby:3.3\nWORKDIR /app\nCOPY . .\nRUN bundle install\n",
			mapContext("Gemfile", "Gemfile.lock", ".bundle/config=BUNDLE_PATH: vendor"), "COPY .bundle/config ./.bundle/"},
		{"go vendor stays", "FROM golang:1.23\nWORKDIR /app\nCOPY . .\nRUN go mod download\n",
			mapContext("go.mod=module x", "go.sum", "vendor/modules.txt"), "RUN go mod download"},
	} {
		plan, why := PlanLayers(analysis.Parse(analysis.NewDocument(c.src)), 0, c.ctx)
		switch {
		case plan == nil && !strings.Contains(why, c.want):
			t.Errorf("%s: refused (%s), want %q", c.name, why, c.want)
		case plan != nil && !strings.Contains(plan.Edit.Text, c.want):
			t.Errorf("%s: plan %q, want a refusal or an edit saying %q", c.name, plan.Edit.Text, c.want)
		}
	}
}
