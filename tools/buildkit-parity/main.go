// Command buildkit-parity runs BuildKit's own linter (dockerfile2llb's
// DockerfileLint, what `docker build --check` runs) over a folder of
// Dockerfiles, with a stub image resolver so that nothing touches the
// network, and writes every warning, one golden file per Dockerfile: its
// location ("line:char-line:char", ranges joined by commas), rule and
// message, and a failed build's error. Stagehand's tests compare its
// BuildKit-named rules with these files, without importing dockerfile2llb.
//
// It is its own module: dockerfile2llb is some 300 packages and takes
// minutes to build cold. Run it when the corpus, the hand-written files or
// BuildKit change:
//
//	cd tools/buildkit-parity && go run . -corpus ../../../shared/corpus/files -out ../../testdata/buildkit-parity
//	cd tools/buildkit-parity && go run . -corpus ../../testdata/buildkit-parity/detail -out ../../testdata/buildkit-parity/detail
//
// With -cases it reads a JSON array of whole Dockerfiles instead and writes,
// for each, BuildKit's build error (message and first line, or none) as a
// JSON array beside it: the oracle of the dispatch-error test
// (analysis/rules/build_error_test.go), whose cases are generated there:
//
//	cd tools/buildkit-parity && go run . -cases ../../testdata/buildkit-parity/dispatch/cases.json
//
// With -copyfrom DEST it also converts each case that builds and writes what
// every COPY to DEST in the LLB of the last stage copies from (the image it
// reads, or scratch): which state a numeric `--from` names
// (analysis/rules/onbuild_state_index_test.go).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerui"
	gateway "github.com/moby/buildkit/frontend/gateway/client"
	gwpb "github.com/moby/buildkit/frontend/gateway/pb"
	"github.com/moby/buildkit/frontend/subrequests/lint"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
	fstypes "github.com/tonistiigi/fsutil/types"
)

// stubResolver answers every image with an empty linux/amd64 image, so that
// the linter never pulls anything. Rules that depend on the image's content
// (InvalidBaseImagePlatform, UndefinedVar for variables the image defines)
// see an image without environment.
type stubResolver struct{}

func (stubResolver) ResolveImageConfig(ctx context.Context, ref string, opt sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	img := ocispecs.Image{Platform: ocispecs.Platform{OS: "linux", Architecture: "amd64"}}
	dt, err := json.Marshal(img)
	if err != nil {
		return "", "", nil, err
	}
	return ref, digest.FromBytes(dt), dt, nil
}

// layeredResolver is stubResolver with one layer in every image, so that
// a conversion keeps each image as a source instead of taking an image
// without layers for scratch.
type layeredResolver struct{}

func (layeredResolver) ResolveImageConfig(ctx context.Context, ref string, opt sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	img := ocispecs.Image{Platform: ocispecs.Platform{OS: "linux", Architecture: "amd64"},
		RootFS: ocispecs.RootFS{Type: "layers", DiffIDs: []digest.Digest{digest.FromString(ref)}}}
	dt, err := json.Marshal(img)
	if err != nil {
		return "", "", nil, err
	}
	return ref, digest.FromBytes(dt), dt, nil
}

func main() {
	corpus := flag.String("corpus", "../../../shared/corpus/files", "directory of Dockerfiles")
	out := flag.String("out", "../../testdata/buildkit-parity", "directory for the golden files")
	cases := flag.String("cases", "", "JSON array of Dockerfiles; writes their build errors to <file without .json>.golden.json")
	sources := flag.Bool("sources", false, "with -cases: also convert each Dockerfile that builds and list the images its build of the last stage reads")
	warnings := flag.Bool("warnings", false, "with -cases: also write each Dockerfile's lint warnings")
	build := flag.Bool("build", false, "with -cases -warnings: take the warnings a build of the last stage prints (dockerfile2llb's conversion) instead of the linter's (--check lints every stage, and runs the instructions of a stage a named context replaces)")
	copyFrom := flag.String("copyfrom", "", "with -cases: also convert each Dockerfile that builds and write what each COPY to this destination in the LLB of the last stage copies from")
	flag.Parse()

	if *cases != "" {
		runCases(*cases, *sources, *warnings, *build, *copyFrom)
		return
	}
	entries, err := os.ReadDir(*corpus)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	def := definition()
	n := 0
	for _, e := range entries {
		if e.IsDir() || strings.HasSuffix(e.Name(), ".txt") || e.Name() == "DIFFERENCES" {
			continue // goldens and lists beside hand-written files
		}
		dt, err := os.ReadFile(filepath.Join(*corpus, e.Name()))
		if err != nil {
			log.Fatal(err)
		}
		res, err := runLint(dt, def, nil)
		var lines []string
		if err != nil {
			lines = append(lines, "error -\t"+oneLine(err.Error()))
		} else {
			for _, w := range res.Warnings {
				lines = append(lines, fmt.Sprintf("%s %s\t%s", ranges(w.Location), w.RuleName, w.Detail))
			}
			sort.Slice(lines, func(i, j int) bool {
				var a, b int
				fmt.Sscan(lines[i], &a)
				fmt.Sscan(lines[j], &b)
				if a != b {
					return a < b
				}
				return lines[i] < lines[j]
			})
			if res.Error != nil {
				lines = append(lines, "error "+ranges(&res.Error.Location)+"\t"+sortedRules(oneLine(res.Error.Message)))
			}
		}
		text := strings.Join(lines, "\n")
		if text != "" {
			text += "\n"
		}
		if err := os.WriteFile(filepath.Join(*out, e.Name()+".txt"), []byte(text), 0o644); err != nil {
			log.Fatal(err)
		}
		n++
	}
	log.Printf("wrote %d golden files to %s", n, *out)
}

// ranges writes a location as "line:char-line:char", ranges joined by
// commas, "-" when there is none.
func ranges(loc *pb.Location) string {
	if loc == nil || len(loc.Ranges) == 0 {
		return "-"
	}
	var parts []string
	for _, r := range loc.Ranges {
		parts = append(parts, fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Character, r.End.Line, r.End.Character))
	}
	return strings.Join(parts, ",")
}

// sortedRules sorts the rules of a lint failure's message, which BuildKit
// lists in map order.
func sortedRules(msg string) string {
	const prefix = "lint violation found for rules: "
	list, ok := strings.CutPrefix(msg, prefix)
	if !ok {
		return msg
	}
	rules := strings.Split(list, ", ")
	sort.Strings(rules)
	return prefix + strings.Join(rules, ", ")
}

func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func withDefinition(sm *llb.SourceMap, def *llb.Definition) *llb.SourceMap {
	sm.Definition = def
	return sm
}

// definition is what the source map needs; its content does not matter here.
func definition() *llb.Definition {
	def, err := llb.Local("dockerfile").Marshal(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	return def
}

// runLint runs BuildKit's linter on dt for linux/amd64 with the stub
// resolver, given the named contexts (name to value, as --build-context
// takes them).
func runLint(dt []byte, def *llb.Definition, contexts map[string]string) (*lint.LintResults, error) {
	platform := ocispecs.Platform{OS: "linux", Architecture: "amd64"}
	caps := pb.Caps.CapSet(pb.Caps.All())
	return dockerfile2llb.DockerfileLint(context.Background(), dt, dockerfile2llb.ConvertOpt{
		Client:         contextsClient(contexts, stubResolver{}),
		MetaResolver:   stubResolver{},
		LLBCaps:        &caps,
		TargetPlatform: &platform,
		SourceMap:      withDefinition(llb.NewSourceMap(nil, "Dockerfile", "Dockerfile", dt), def),
	})
}

// contextsGateway is a frontend gateway that only gives build options (the
// named contexts) and resolves images; nothing else of it is called.
type contextsGateway struct {
	gateway.Client
	opts     map[string]string
	resolver llb.ImageMetaResolver
}

func (g contextsGateway) BuildOpts() gateway.BuildOpts {
	// No gateway capabilities: the main context is a local one, not an
	// input of the frontend.
	return gateway.BuildOpts{Opts: g.opts, LLBCaps: pb.Caps.CapSet(pb.Caps.All()), Caps: gwpb.Caps.CapSet(nil)}
}

func (g contextsGateway) ResolveImageConfig(ctx context.Context, ref string, opt sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	return g.resolver.ResolveImageConfig(ctx, ref, opt)
}

// Solve answers the one solve dockerui asks for, of the main context's
// .dockerignore, with an empty file system.
func (g contextsGateway) Solve(ctx context.Context, req gateway.SolveRequest) (*gateway.Result, error) {
	res := gateway.NewResult()
	res.SetRef(emptyRef{})
	return res, nil
}

// emptyRef is a solved file system holding no file.
type emptyRef struct{ gateway.Reference }

func (emptyRef) ReadFile(ctx context.Context, req gateway.ReadRequest) ([]byte, error) {
	return nil, os.ErrNotExist
}

func (emptyRef) StatFile(ctx context.Context, req gateway.StatRequest) (*fstypes.Stat, error) {
	return nil, os.ErrNotExist
}

// contextsClient is the dockerui client that gives dockerfile2llb the
// named contexts, as buildx passes `--build-context name=value` (the
// build option context:<name>); nil for none.
func contextsClient(contexts map[string]string, resolver llb.ImageMetaResolver) *dockerui.Client {
	if len(contexts) == 0 {
		return nil
	}
	opts := map[string]string{}
	for name, value := range contexts {
		opts["context:"+name] = value
	}
	c, err := dockerui.NewClient(contextsGateway{opts: opts, resolver: resolver})
	if err != nil {
		log.Fatal(err)
	}
	return c
}

// caseResult is BuildKit's verdict on one Dockerfile of a -cases file.
type caseResult struct {
	Dockerfile string            `json:"dockerfile"`
	Contexts   map[string]string `json:"contexts,omitempty"`
	Error      string            `json:"error,omitempty"` // the build error's first line
	Line       int               `json:"line,omitempty"`  // its first line, 1-based; 0 when it has none
	// Images are the images (docker-image sources, sorted) in the LLB of a
	// build of the last stage, with -sources.
	Images []string `json:"images,omitempty"`
	// CopyFrom is, with -copyfrom, what each COPY to that destination in
	// the LLB of the last stage copies from, in LLB order: the image
	// (docker-image://...) it reads, or "scratch".
	CopyFrom []string `json:"copyFrom,omitempty"`
	// Warnings are the linter's warnings, in BuildKit's order, with -warnings.
	Warnings []caseWarning `json:"warnings,omitempty"`
}

// caseWarning is one lint warning: its rule, first line (1-based, 0 when
// it has none) and message.
type caseWarning struct {
	Rule    string `json:"rule"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// buildCase is one case given with the named contexts of its build.
type buildCase struct {
	Dockerfile string            `json:"dockerfile"`
	Contexts   map[string]string `json:"contexts"`
}

// runCases writes BuildKit's build error for every Dockerfile of the JSON
// array in file; with sources, for one that builds, the images its LLB
// reads.
func runCases(file string, sources, warnings, build bool, copyFrom string) {
	dt, err := os.ReadFile(file)
	if err != nil {
		log.Fatal(err)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(dt, &raw); err != nil {
		log.Fatal(err)
	}
	def := definition()
	out := make([]caseResult, 0, len(raw))
	for _, c := range raw {
		// A case is a Dockerfile, or an object with the Dockerfile and
		// the named contexts of its build.
		var bc buildCase
		if err := json.Unmarshal(c, &bc.Dockerfile); err != nil {
			if err := json.Unmarshal(c, &bc); err != nil {
				log.Fatal(err)
			}
		}
		d := bc.Dockerfile
		r := caseResult{Dockerfile: d, Contexts: bc.Contexts}
		res, err := runLint([]byte(d), def, bc.Contexts)
		switch {
		case err != nil:
			r.Error = oneLine(err.Error())
		case res.Error != nil:
			r.Error = oneLine(res.Error.Message)
			if loc := &res.Error.Location; len(loc.Ranges) > 0 {
				r.Line = int(loc.Ranges[0].Start.Line)
			}
		}
		if warnings && build && r.Error == "" {
			r.Warnings = buildWarnings([]byte(d), def, bc.Contexts)
		} else if warnings && res != nil {
			for _, w := range res.Warnings {
				cw := caseWarning{Rule: w.RuleName, Message: w.Detail}
				if w.Location != nil && len(w.Location.Ranges) > 0 {
					cw.Line = int(w.Location.Ranges[0].Start.Line)
				}
				r.Warnings = append(r.Warnings, cw)
			}
		}
		if sources && r.Error == "" {
			r.Images = llbImages([]byte(d), def, bc.Contexts)
		}
		if copyFrom != "" && r.Error == "" {
			r.CopyFrom = copySources([]byte(d), def, copyFrom, bc.Contexts)
		}
		out = append(out, r)
	}
	b, err := json.MarshalIndent(out, "", "\t")
	if err != nil {
		log.Fatal(err)
	}
	golden := strings.TrimSuffix(file, ".json") + ".golden.json"
	if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %d results to %s", len(out), golden)
}

// llbImages converts dt (the last stage, linux/amd64, the stub resolver)
// and returns the docker-image sources of the LLB, sorted, each once.
func llbImages(dt []byte, def *llb.Definition, contexts map[string]string) []string {
	d := convert(dt, def, contexts)
	seen := map[string]bool{}
	var out []string
	for _, b := range d.Def {
		var op pb.Op
		if err := op.Unmarshal(b); err != nil {
			log.Fatal(err)
		}
		if id := op.GetSource().GetIdentifier(); strings.HasPrefix(id, "docker-image://") && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// copySources converts dt as llbImages does and returns, for each copy
// action to dest in the LLB, in order, the source it copies from: the
// identifier of the source op it reads, "scratch" for none, or "other"
// for an op that is no source.
func copySources(dt []byte, def *llb.Definition, dest string, contexts map[string]string) []string {
	d := convert(dt, def, contexts)
	ops := map[digest.Digest]*pb.Op{}
	var order []*pb.Op
	for _, b := range d.Def {
		op := &pb.Op{}
		if err := op.Unmarshal(b); err != nil {
			log.Fatal(err)
		}
		ops[digest.FromBytes(b)] = op
		order = append(order, op)
	}
	var out []string
	for _, op := range order {
		for _, a := range op.GetFile().GetActions() {
			c := a.GetCopy()
			if c == nil || c.Dest != dest {
				continue
			}
			switch in := a.SecondaryInput; {
			case in < 0:
				out = append(out, "scratch")
			case int(in) < len(op.Inputs):
				src := ops[digest.Digest(op.Inputs[in].Digest)]
				if id := src.GetSource().GetIdentifier(); id != "" {
					out = append(out, id)
				} else {
					out = append(out, "other")
				}
			default:
				out = append(out, "other")
			}
		}
	}
	return out
}

// buildWarnings converts dt as convert does and returns the warnings the
// build prints, in order.
func buildWarnings(dt []byte, def *llb.Definition, contexts map[string]string) []caseWarning {
	var out []caseWarning
	convertWarn(dt, def, contexts, func(rule, _, _, msg string, location []parser.Range) {
		w := caseWarning{Rule: rule, Message: msg}
		if len(location) > 0 {
			w.Line = location[0].Start.Line
		}
		out = append(out, w)
	})
	return out
}

// convert converts dt (the last stage, linux/amd64, the image resolver
// whose images have one layer) and returns its LLB.
func convert(dt []byte, def *llb.Definition, contexts map[string]string) *llb.Definition {
	return convertWarn(dt, def, contexts, nil)
}

// convertWarn is convert giving the build's warnings to warn.
func convertWarn(dt []byte, def *llb.Definition, contexts map[string]string, warn linter.LintWarnFunc) *llb.Definition {
	platform := ocispecs.Platform{OS: "linux", Architecture: "amd64"}
	caps := pb.Caps.CapSet(pb.Caps.All())
	res, err := dockerfile2llb.Dockerfile2LLB(context.Background(), dt, dockerfile2llb.ConvertOpt{
		Client:         contextsClient(contexts, layeredResolver{}),
		Warn:           warn,
		MetaResolver:   layeredResolver{},
		LLBCaps:        &caps,
		TargetPlatform: &platform,
		SourceMap:      withDefinition(llb.NewSourceMap(nil, "Dockerfile", "Dockerfile", dt), def),
	})
	if err != nil {
		log.Fatalf("convert after a clean lint: %v\n%s", err, dt)
	}
	d, err := res.State.Marshal(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	return d
}
