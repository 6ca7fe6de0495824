package refactor

import (
	"context"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
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
		plan, why := PlanRuntime(context.Background(), ix, 0)
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
		plan, why := PlanRuntime(context.Background(), ix, 0)
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
