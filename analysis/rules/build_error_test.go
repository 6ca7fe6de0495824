package rules

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// The dispatch cases: Dockerfiles of one stage built on scratch, each
// with one instruction (or a few) that BuildKit's parser reads, and
// BuildKit's verdict on each from tools/buildkit-parity -cases (its
// DockerfileLint: parser, instructions.Parse and dispatch, with a stub
// image resolver). STAGEHAND_UPDATE_PARITY=1 rewrites cases.json from the
// seeds below and the corpus; the golden then comes from the tool.
const dispatchDir = "../../testdata/buildkit-parity/dispatch"

// dispatchSeeds are hand-written bodies (after "FROM scratch\n") that
// name the kinds of failure: each kind is then varied over the corpus.
var dispatchSeeds = []string{
	`LABEL "a b" c`, `LABEL "a b"=c`, `LABEL a "b c"`, `LABEL a="b`, `LABEL a=${b:1:2}`, `LABEL =c`,
	`ENV "a b" c`, `ENV a "b`, `ENV a=b"`, `ENV a=${b`, `ENV a=${b:?oops}`, `ENV a=${b/c`, `ENV a=${b!}`,
	`ENV a=$`, `ENV a=${}`, `ENV a=${1:+x}`, `ENV a-b=c`, `ENV 1a=c`, `ENV a"b"=c`, `ENV =c`,
	`ENV b=1` + "\n" + `ENV a=${b:?oops}`, `ENV a=1 b=${a:?unset}`,
	`ARG a=${b:?oops}`, `ARG a=1 b=${a:?oops}`, `ARG "a b"=c`, `ARG a b`, `ARG a"b"=c`, `ARG 1a=c`, `ARG a.b`,
	`ARG a="b`, `ARG a=b c="d`,
	`COPY --chmod=999 a b`, `COPY --chmod=u+x a b`, `COPY --chmod=abc a b`, `COPY --chmod=0755 a b`,
	`COPY --chmod=$X a b`, `ADD --chmod=99 a b`, `COPY --chmod=17777 a b`, `COPY --chmod=7777 a b`,
	`COPY --chmod=u=rwx,go=rx a b`, `COPY --chmod=g-w,o+ a b`, `COPY --chmod=+ a b`, `COPY --chmod=u+q a b`,
	`ARG M=999` + "\n" + `COPY --chmod=$M a b`, `ARG M=0644` + "\n" + `COPY --chmod=${M} a b`,
	`COPY --chown=a:b:c a b`, `COPY --chown=:b a b`, `COPY --chown=a: a b`, `COPY --chown=-1 a b`,
	`COPY --link --chown=app a b`, `COPY --link --chown=1000:app a b`, `COPY --link --chown=1000:1000 a b`,
	`ADD --link --chown=app:app a b`, `COPY --link=false --chown=app a b`,
	`COPY --link=maybe a b`, `COPY --link=$X a b`,
	`EXPOSE abc`, `EXPOSE 80/xyz`, `EXPOSE 70000`, `EXPOSE 80-70`, `EXPOSE -1`, `EXPOSE "80`, `EXPOSE 1.2.3.4:80:80`,
	`EXPOSE :80`, `EXPOSE 80/`, `EXPOSE /tcp`, `EXPOSE 8080-8081/udp`, `EXPOSE 1.2.3:80:80`, `EXPOSE [::1]:80:80`,
	`EXPOSE [zz]:80:80`, `EXPOSE 80-81:90`, `EXPOSE 80-81:90-92`, `EXPOSE x:80`, `EXPOSE 80/TCP`, `EXPOSE 0`,
	`EXPOSE 65535`, `EXPOSE 65536`, `EXPOSE 80 81 abc`, `EXPOSE $P`,
	`ENV P=abc` + "\n" + `EXPOSE $P`, `ENV P="80 abc"` + "\n" + `EXPOSE $P`, `ENV P=80` + "\n" + `EXPOSE $P`,
	`ARG P=80/xyz` + "\n" + `EXPOSE ${P}`, `EXPOSE ${P:-90}`,
	`HEALTHCHECK --interval=abc CMD true`, `HEALTHCHECK --interval=1ms CMD true`, `HEALTHCHECK --retries=abc CMD true`,
	`HEALTHCHECK --timeout=-1s CMD true`, `HEALTHCHECK --start-interval=0s CMD true`,
	`SHELL sh -c`, `SHELL ["sh" "-c"]`, `SHELL []`,
	`USER ""`, `USER "a`, `USER ${a:?x}`, `WORKDIR "a`, `WORKDIR ""`, `WORKDIR ${a:?x}`, `WORKDIR /a/${b`,
	`VOLUME ""`, `VOLUME [""]`, `VOLUME /a ""`, `VOLUME ["/a", ""]`, `VOLUME $NONE`,
	`STOPSIGNAL "abc`, `STOPSIGNAL abc`, `STOPSIGNAL ${a:?x}`, `STOPSIGNAL SIGKILL`, `STOPSIGNAL KILL`,
	`STOPSIGNAL 9`, `STOPSIGNAL 0`, `STOPSIGNAL 300`, `STOPSIGNAL sigterm`, `STOPSIGNAL SIGRTMIN+3`, `STOPSIGNAL $S`,
	`ONBUILD FROM x`, `ONBUILD RUN "a`, `ONBUILD ONBUILD RUN x`, `ONBUILD LABEL "a b" c`, `CMD "a`, `ENTRYPOINT "a`,
	`MAINTAINER "a`,
	`RUN --network=foo true`, `RUN --security=foo true`, `RUN --mount=type=foo true`, `RUN --mount=type=cache,target= true`,
	`RUN --mount=type=bind true`, `RUN --mount=type=secret,id=$X true`, `RUN --mount=type=cache,target=/x,sharing=foo true`,
	`RUN --mount=type=cache,target=/x,mode=abc true`, `RUN --mount=type=cache,target=/x,uid=abc true`,
	`RUN --mount=target=/x,from=${a:?x} true`, `RUN --mount=type=cache,target=${T:?no} true`,
	`RUN --mount=type=cache,target="/x true`, `RUN --mount=type=tmpfs,target=/x,size=abc true`,
	`RUN --mount=type=secret,id=a,target=/x,sharing=shared true`, `RUN --mount=type=ssh,mode=0600 true`,
	`RUN --mount=type=bind,target=/x,mode=0600 true`, `RUN --mount=type=cache,id=a,target=/x,ro=maybe true`,
	`COPY --from=${x} a b`, `COPY ${a:?x} b`, `COPY "a b`, `COPY a "b`, `COPY ["a", "b"]`, `COPY [ "a b`,
	`COPY <<EOF /x` + "\n" + `${a:?x}` + "\n" + `EOF`, `COPY <<EOF /x` + "\n" + `"${A}` + "\n" + `EOF`,
	`COPY <<"EOF" /x` + "\n" + `${a:?x}` + "\n" + `EOF`, `RUN <<EOF` + "\n" + `${a:?x}` + "\n" + `EOF`,
	`ADD --checksum=abc http://x/y b`, `ADD --keep-git-dir=maybe a b`, `COPY --exclude=[ a b`,
	`COPY --parents=maybe a b`, `ADD --unpack=maybe a b`,
	`ENV a=\` + "\n" + `  "b`, `LABEL a=b \` + "\n" + `  c "d`,
}

// dispatchMutations vary one corpus instruction toward the failures of
// the seeds: the legacy form with a quoted key, an unmatched quote, a bad
// or required substitution, an odd --chmod or EXPOSE word.
func dispatchMutations(cmd, text string) []string {
	kw, rest, _ := strings.Cut(text, " ")
	rest = strings.TrimSpace(rest)
	out := []string{text}
	switch cmd {
	case "env", "label":
		if k, v, ok := strings.Cut(rest, "="); ok && !strings.ContainsAny(k, " \"'") {
			v, _, _ = strings.Cut(v, " ")
			out = append(out, kw+" "+k+" "+v, kw+` "`+k+` x" `+v, kw+` "`+k+`"=`+v+`"`, kw+" "+k+"=${"+k+":?unset}")
		}
	case "expose":
		out = append(out, text+"/xyz", text+"-1", text+"0000", kw+" 1.2.3.4:"+rest)
	case "copy", "add":
		for _, m := range []string{"888", "755", "u+x", "a=rwx,o-w", "x"} {
			out = append(out, kw+" --chmod="+m+" "+rest)
		}
		out = append(out, kw+" --link --chown=app "+rest)
	case "workdir", "user", "stopsignal":
		out = append(out, kw+` "`+rest, kw+" ${"+rest+"}")
	}
	if i := strings.LastIndexByte(text, '"'); i > 0 {
		out = append(out, text[:i]+text[i+1:])
	}
	return out
}

// dispatchCases generates the case bodies: the seeds, then every
// distinct corpus instruction BuildKit expands or checks at dispatch
// (one line, no variables it would need from the file) with its
// mutations, in a stable order.
func dispatchCases(t *testing.T) []string {
	seen := map[string]bool{}
	var out []string
	add := func(body string) {
		d := "FROM scratch\n" + body + "\n"
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	for _, s := range dispatchSeeds {
		add(s)
	}
	corpus := testgen.Corpus(t)
	names := make([]string, 0, len(corpus))
	for name := range corpus {
		names = append(names, name)
	}
	sort.Strings(names)
	var texts []string
	byText := map[string]string{}
	for _, name := range names {
		ix := analysis.Parse(analysis.NewDocument(corpus[name]))
		if ix.ParseError != nil || ix.Escape != '\\' {
			continue
		}
		for i := range ix.Len() {
			n := ix.Node(i)
			text := ix.Doc.Slice(n.Span())
			if strings.Contains(text, "\n") || len(text) > 200 || !dispatchCandidate(ix, n) {
				continue
			}
			// Variables keep their names but lose the file's values: in
			// the case they are unset.
			if _, ok := byText[text]; !ok {
				byText[text] = n.Cmd
				texts = append(texts, text)
			}
		}
	}
	for _, text := range texts {
		for _, m := range dispatchMutations(byText[text], text) {
			add(m)
			if len(out) >= 3000 {
				return out
			}
		}
	}
	return out
}

type dispatchResult struct {
	Dockerfile string `json:"dockerfile"`
	Error      string `json:"error,omitempty"`
	Line       int    `json:"line,omitempty"`
}

// TestBuildErrorMatchesBuildKit holds our build-failing diagnostics to
// BuildKit's verdict on every dispatch case: BuildKit fails exactly when
// we report an error of a rule that fails the build, on the same line;
// where BuildError states the failure, with BuildKit's message.
func TestBuildErrorMatchesBuildKit(t *testing.T) {
	golden := readParityCases(t, filepath.Join(dispatchDir, "cases.json"), func() []string { return dispatchCases(t) }, "tools/buildkit-parity -cases",
		func(r dispatchResult) string { return r.Dockerfile })
	failing, stated, bad := 0, 0, 0
	for _, want := range golden {
		ix := analysis.Parse(analysis.NewDocument(want.Dockerfile))
		// got is the failure we state: BuildKit's message when one of
		// ours gives it, else the first, preferring the other rules'
		// (BuildKit checks the stage graph, say, before it dispatches).
		var got *Diagnostic
		for _, d := range Run(ix, nil) {
			if d.Severity != Error || !failsBuild(d.Rule) {
				continue
			}
			if got == nil || d.Message == want.Error || got.Rule == BuildError.Name && got.Message != want.Error {
				got = &d
			}
		}
		if want.Error != "" {
			failing++
		}
		problem, byBuildError := failureDisagreement(ix, want.Error, want.Line, got)
		if byBuildError {
			stated++
		}
		if problem != "" {
			bad++
			if bad <= 40 {
				t.Errorf("%q: %s", want.Dockerfile, problem)
			}
		}
	}
	if bad > 40 {
		t.Errorf("... %d disagreements in all", bad)
	}
	t.Logf("%d cases, %d failing in BuildKit, %d stated by BuildError", len(golden), failing, stated)
	if len(golden) < 1000 || failing < 300 || stated < 100 {
		t.Errorf("too few cases compared: %d cases, %d failing, %d stated by BuildError", len(golden), failing, stated)
	}
}

// failureDisagreement compares the build-failing diagnostic we state
// (got, nil for none) with BuildKit's verdict on ix's Dockerfile (its
// error's first line and line number, "" when it builds): what differs,
// "" when nothing does, and whether BuildError states the failure.
func failureDisagreement(ix *analysis.Index, wantErr string, wantLine int, got *Diagnostic) (problem string, byBuildError bool) {
	switch {
	case wantErr == "" && got != nil:
		return fmt.Sprintf("BuildKit builds it; we report %s: %s", got.Rule, got.Message), false
	case wantErr != "" && got == nil:
		return "BuildKit fails (" + wantErr + "); we report nothing", false
	case got == nil:
		return "", false
	case wantLine != 0 && ix.Doc.LineOf(got.Span.Start)+1 != wantLine:
		return fmt.Sprintf("BuildKit fails on line %d; we report line %d", wantLine, ix.Doc.LineOf(got.Span.Start)+1), false
	case got.Rule == BuildError.Name && got.Message != wantErr:
		return fmt.Sprintf("message %q, BuildKit's %q", got.Message, wantErr), true
	}
	return "", got.Rule == BuildError.Name
}

// failsBuild reports whether a finding of rule makes BuildKit's build fail.
func failsBuild(rule string) bool {
	if rule == ParseError || rule == InstructionError {
		return true
	}
	r := Lookup(rule)
	return r != nil && r.Fails
}

// readParityCases reads BuildKit's result for each Dockerfile of a
// differential test: the Dockerfiles from casesFile, the results from
// the .golden.json beside it, which tool wrote from them. With
// STAGEHAND_UPDATE_PARITY set it first writes casesFile from generate;
// the golden then has to come from the tool. dockerfile gives the
// Dockerfile a result is for.
func readParityCases[R any](t *testing.T, casesFile string, generate func() []string, tool string, dockerfile func(R) string) []R {
	t.Helper()
	name := filepath.Base(casesFile)
	if updateParity {
		b, err := json.MarshalIndent(generate(), "", "\t")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(casesFile, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: now run %s on it", name, tool)
	}
	var cases []string
	readJSON(t, casesFile, &cases)
	var golden []R
	readJSON(t, strings.TrimSuffix(casesFile, ".json")+".golden.json", &golden)
	if len(golden) != len(cases) {
		t.Fatalf("%s: the golden has %d results for %d cases: run %s", name, len(golden), len(cases), tool)
	}
	for i, r := range golden {
		if dockerfile(r) != cases[i] {
			t.Fatalf("%s: case %d: the golden is stale: run %s", name, i, tool)
		}
	}
	return golden
}

func readJSON(t *testing.T, file string, v any) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

// TestBuildErrorCorpus holds BuildError to BuildKit's goldens over the
// corpus (whole files, as `docker build --check` runs them): every
// BuildError we report is the build error BuildKit stops at, on its line,
// with its message, and every failure of BuildKit's lexer ("failed to
// process") is reported.
func TestBuildErrorCorpus(t *testing.T) {
	corpus := testgen.RequireCorpus(t)
	goldens, err := filepath.Glob(filepath.Join(parityDir, "*.txt"))
	if err != nil || len(goldens) == 0 {
		t.Fatalf("no parity goldens in %s: %v", parityDir, err)
	}
	lexer := 0
	for _, g := range goldens {
		name := strings.TrimSuffix(filepath.Base(g), ".txt")
		_, _, buildErr := readDetailGolden(t, g)
		text, err := os.ReadFile(filepath.Join(corpus, name))
		if err != nil {
			t.Fatal(err)
		}
		ix := analysis.Parse(analysis.NewDocument(string(text)))
		found := false
		for _, d := range Run(ix, nil) {
			if d.Rule != BuildError.Name {
				continue
			}
			line := ix.Doc.LineOf(d.Span.Start) + 1
			switch {
			case buildErr == nil:
				t.Errorf("%s:%d: BuildKit builds the file; we report %q", name, line, d.Message)
			case buildErr.msg == d.Message && buildErr.first == line:
				found = true
			}
		}
		if buildErr != nil && strings.HasPrefix(buildErr.msg, "failed to process") {
			lexer++
			if !found {
				t.Errorf("%s:%d: BuildKit fails (%s); we report no BuildError with its message there", name, buildErr.first, buildErr.msg)
			}
		}
	}
	if lexer == 0 {
		t.Error("no corpus file fails in BuildKit's lexer: the test compares nothing")
	}
}
