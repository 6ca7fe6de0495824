package analysis

import (
	"strings"
	"testing"
)

// TestPlanLayersEcosystems checks the manifests copied before each kind of
// dependency install, and where no plan is made.
func TestPlanLayersEcosystems(t *testing.T) {
	for _, tc := range []struct {
		install, manifest string // manifest "" means no plan
	}{
		{"npm ci", "COPY package*.json ./"},
		{"--mount=type=cache,target=/root/.npm npm ci", "COPY package*.json ./"},
		{"npm install --omit=dev", "COPY package*.json ./"},
		{"yarn install --frozen-lockfile", "COPY package.json yarn.lock* ./"},
		{"pnpm install --frozen-lockfile", "COPY package.json pnpm-lock.yaml* ./"},
		{"pip install --no-cache-dir -r requirements.txt", "COPY requirements.txt ./"},
		{"python -m pip install -r requirements.txt -c constraints.txt", "COPY requirements.txt constraints.txt ./"},
		{"poetry install --no-root", "COPY pyproject.toml poetry.lock* ./"},
		{"pipenv install --deploy --system", "COPY Pipfile Pipfile.lock* ./"},
		{"go mod download", "COPY go.mod go.sum* ./"},
		{"bundle install", "COPY Gemfile Gemfile.lock* ./"},
		{"composer install --no-dev --no-scripts", "COPY composer.json composer.lock* ./"},
		{"mvn -B dependency:go-offline", "COPY pom.xml ./"},
		{"gradle dependencies --no-daemon", "COPY build.gradle* settings.gradle* ./"},
		{"dotnet restore", "COPY *.csproj ./"},
		{"apt-get update && apt-get install -y curl", ""}, // moves, copies nothing
		{"npm run build", ""},
		{"npm ci && npm run build", ""},
		{"pip install -r requirements/prod.txt", ""},
		{"pip install .", ""},
		{"poetry install", ""}, // installs the project itself: needs the source
		{"composer install", ""},
		{"./gradlew dependencies", ""},
		{"npm ci | tee log", ""},
	} {
		text := "FROM base\nWORKDIR /app\nCOPY . .\nRUN " + tc.install + "\nCMD [\"x\"]\n"
		ix := Parse(NewDocument(text))
		plan, reason := PlanLayers(ix, 0)
		sys := strings.HasPrefix(tc.install, "apt-get")
		switch {
		case tc.manifest == "" && !sys:
			if plan != nil {
				t.Errorf("%q: unexpected plan %q", tc.install, plan.Edit.Text)
			}
		case plan == nil:
			t.Errorf("%q: no plan: %s", tc.install, reason)
		case plan.ManifestCopy != tc.manifest:
			t.Errorf("%q: manifest copy %q, want %q", tc.install, plan.ManifestCopy, tc.manifest)
		}
	}
}

// TestPlanLayersKeepsDependencies checks instructions that must not move.
func TestPlanLayersKeepsDependencies(t *testing.T) {
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
		if plan, _ := PlanLayers(Parse(NewDocument(text)), 0); plan != nil {
			t.Errorf("%q: unexpected plan:\n%s", text, plan.Edit.Text)
		}
	}
	// An ENV or ARG that a moved RUN follows moves with it, above it, so the
	// RUN keeps its environment.
	text := "FROM b\nWORKDIR /app\nCOPY . .\nENV CI=true\nRUN npm ci\nRUN npm test\n"
	plan, reason := PlanLayers(Parse(NewDocument(text)), 0)
	if plan == nil {
		t.Fatalf("no plan: %s", reason)
	}
	want := "ENV CI=true\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n"
	if plan.Edit.Text != want {
		t.Errorf("plan:\n%s\nwant:\n%s", plan.Edit.Text, want)
	}
}
