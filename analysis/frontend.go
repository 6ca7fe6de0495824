package analysis

import (
	"fmt"
	"strconv"
	"strings"
)

// This file is data: which Dockerfile frontend version (docker/dockerfile:<v>)
// introduced each flag and form, and how to read the version a file pins
// with `# syntax=`.
//
// Sources, BuildKit v0.34.2:
//   - frontend/dockerfile/docs/reference.md, the "Minimum Dockerfile version"
//     tables of RUN, ADD and COPY, and its notes ("`check` (since Dockerfile
//     v1.8.0)", heredocs, the secret mount's `env` since 1.10, `ONBUILD`
//     with `--from` as of 1.11, `--chmod` symbolic notation in 1.14);
//   - the Dockerfile release notes (docs.docker.com/build/buildkit/dockerfile-release-notes,
//     the docker/dockerfile GitHub releases) for the labs channel: heredocs
//     in 1.3-labs, `ADD --checksum` in 1.5-labs, `COPY --parents` and
//     `--exclude` in 1.7-labs, `RUN --device` in 1.14-labs, `RUN --security`
//     in the experimental channel before labs existed; and for
//     `COPY --from=$VAR`, an error since 1.18.
//
// BuildKit v0.34.2 builds every flag below in its mainline frontend (its
// release/labs build tags are empty), so the labs-only set is historical:
// it matters for files that pin an older `-labs` frontend.

// Version is a Dockerfile frontend version, docker/dockerfile:<Major>.<Minor>.
type Version struct{ Major, Minor int }

// Less reports whether v comes before w.
func (v Version) Less(w Version) bool {
	return v.Major < w.Major || v.Major == w.Major && v.Minor < w.Minor
}

// IsZero reports whether v is unset: a feature every frontend has.
func (v Version) IsZero() bool { return v == Version{} }

func (v Version) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// Feature is a flag or a form of the Dockerfile language that appeared in a
// given frontend version.
type Feature struct {
	Name string // as users write it: "COPY --parents"
	Cmd  string // the instruction, lower case; "" for a file-level form
	Flag string // the flag without dashes; "" for a form
	// Since is the first stable release that has it; zero for "always".
	Since Version
	// Labs is the first labs (or experimental) release that had it before
	// Since; zero when it never was labs-only.
	Labs Version
}

// Forms that are not flags, by the Name their Feature carries.
const (
	FeatureHeredoc       = "a heredoc"
	FeatureCheck         = "# check= directive"
	FeatureOnbuildFrom   = "ONBUILD COPY --from"
	FeatureChmodSymbolic = "--chmod in symbolic notation"
	FeatureSecretEnv     = "RUN --mount=type=secret,env="
)

// Features lists the flags of Instructions, with the versions their
// entries give, and the versioned forms.
var Features = func() []Feature {
	var out []Feature
	for _, in := range Instructions {
		for _, f := range in.Flags {
			out = append(out, Feature{Name: in.Name + " --" + f.Name, Cmd: strings.ToLower(in.Name), Flag: f.Name, Since: f.Since, Labs: f.Labs})
		}
	}
	return append(out,
		Feature{Name: FeatureHeredoc, Since: Version{1, 4}, Labs: Version{1, 3}},
		Feature{Name: FeatureCheck, Since: Version{1, 8}},
		Feature{Name: FeatureSecretEnv, Since: Version{1, 10}},
		Feature{Name: FeatureOnbuildFrom, Since: Version{1, 11}},
		Feature{Name: FeatureChmodSymbolic, Since: Version{1, 14}},
	)
}()

// CopyFromVariableError is the version since which `COPY --from=$VAR` fails
// the build ("variable expansion is not supported for --from").
var CopyFromVariableError = Version{1, 18}

// Newest is the newest version the table knows: what a floating tag
// (`docker/dockerfile:1`) stands for.
var Newest = func() Version {
	var v Version
	for _, f := range Features {
		if v.Less(f.Since) {
			v = f.Since
		}
	}
	return v
}()

// LookupFeature returns the feature of cmd's flag (without dashes), or of
// the form called name when flag is "", or nil.
func LookupFeature(cmd, flag string) *Feature {
	for i := range Features {
		f := &Features[i]
		if flag == "" && f.Flag == "" && f.Name == cmd || flag != "" && f.Cmd == cmd && strings.EqualFold(f.Flag, flag) {
			return f
		}
	}
	return nil
}

// Frontend is the Dockerfile frontend a file asks for.
type Frontend struct {
	Image string // the image as written, without tag and digest; "" when no `# syntax=`
	// Known is set when the image is the official frontend at a version we
	// can read: only then do version checks apply.
	Known    bool
	Version  Version
	Labs     bool // a labs or experimental build
	Floating bool // a tag that follows the newest release (`1`, `latest`, none)
}

// Pinned reports whether the file names a frontend with `# syntax=`.
func (f Frontend) Pinned() bool { return f.Image != "" }

// Has reports whether the frontend supports feat. A frontend we cannot
// read (a custom image, a digest alone) is assumed to have everything.
func (f Frontend) Has(feat *Feature) bool {
	if !f.Known || feat == nil {
		return true
	}
	if !f.Version.Less(feat.Since) {
		return true
	}
	return f.Labs && !feat.Labs.IsZero() && !f.Version.Less(feat.Labs)
}

// Needs says what a frontend must be to have feat: "1.20 (or 1.7-labs)".
func (feat *Feature) Needs() string {
	s := feat.Since.String()
	if !feat.Labs.IsZero() {
		s += " (or " + feat.Labs.String() + "-labs)"
	}
	return s
}

// String names the frontend as the syntax line does: "docker/dockerfile:1.4-labs".
func (f Frontend) String() string {
	if !f.Known {
		return f.Image
	}
	tag := f.Version.String()
	if f.Floating {
		tag = strconv.Itoa(f.Version.Major)
	}
	if f.Labs {
		tag += "-labs"
	}
	return f.Image + ":" + tag
}

// officialFrontends are the images Docker publishes the Dockerfile frontend as.
var officialFrontends = []string{"docker/dockerfile", "docker/dockerfile-upstream"}

// ParseSyntax reads the value of a `# syntax=` directive.
func ParseSyntax(ref string) Frontend {
	ref = strings.TrimSpace(ref)
	f := Frontend{Image: ref}
	if ref == "" {
		return f
	}
	name, digest, _ := strings.Cut(ref, "@")
	tag := ""
	if i := strings.LastIndexByte(name, ':'); i > strings.LastIndexByte(name, '/') {
		name, tag = name[:i], name[i+1:]
	}
	f.Image = name
	short := strings.ToLower(name)
	for _, p := range []string{"docker.io/", "index.docker.io/", "registry-1.docker.io/"} {
		short = strings.TrimPrefix(short, p)
	}
	official := false
	for _, o := range officialFrontends {
		official = official || short == o
	}
	if !official || tag == "" && digest != "" {
		return f // a custom frontend, or a digest we cannot date
	}
	tag = strings.ToLower(tag)
	for _, suffix := range []string{"-labs", "-experimental"} {
		if t, ok := strings.CutSuffix(tag, suffix); ok {
			tag, f.Labs = t, true
		}
	}
	switch tag {
	case "", "latest", "master", "labs", "experimental":
		f.Known, f.Floating, f.Version = true, true, Newest
		f.Labs = f.Labs || tag == "labs" || tag == "experimental"
		return f
	}
	parts := strings.Split(tag, ".")
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || i > 2 {
			return f
		}
		nums[i] = n
	}
	if nums[0] != Newest.Major {
		return f // another major version: nothing to compare with
	}
	f.Known = true
	if len(nums) == 1 {
		f.Floating, f.Version = true, Newest
		return f
	}
	f.Version = Version{nums[0], nums[1]}
	return f
}

// Frontend returns the frontend the file's `# syntax=` directive names; the
// zero Frontend (not Pinned) when there is none.
func (ix *Index) Frontend() Frontend {
	for _, d := range ix.Directives {
		if d.Name == "syntax" {
			return ParseSyntax(d.Value)
		}
	}
	return Frontend{}
}

// Available returns the flags of info the frontend has, in order.
func (f Frontend) Available(info *InstructionInfo) []FlagInfo {
	cmd := strings.ToLower(info.Name)
	out := make([]FlagInfo, 0, len(info.Flags))
	for _, fl := range info.Flags {
		if f.Has(LookupFeature(cmd, fl.Name)) {
			out = append(out, fl)
		}
	}
	return out
}

// SinceNote says from which frontend version cmd's flag exists, as a
// sentence for documentation: "Since docker/dockerfile:1.20 (1.7-labs)."; ""
// for a flag every frontend has.
func SinceNote(cmd, flag string) string {
	feat := LookupFeature(cmd, flag)
	if feat == nil || feat.Since.IsZero() {
		return ""
	}
	s := "Since docker/dockerfile:" + feat.Since.String()
	if !feat.Labs.IsZero() {
		s += " (" + feat.Labs.String() + "-labs)"
	}
	return s + "."
}
