package analysis

import (
	"slices"
	"strings"
)

// This file describes the Dockerfile instructions, their flags, the
// `RUN --mount` types and keys and the parser directives as data: the one
// instruction table that completion, hover, signature help, formatting,
// the fast parser, the rules, the frontend version checks and the layer
// planner read. The descriptions are our own words; each entry links to the
// Dockerfile reference for the full story.
//
// The flag sets follow BuildKit's instructions package (v0.34.2,
// frontend/dockerfile/instructions): parse.go for COPY, ADD, FROM and
// HEALTHCHECK, commands_runmount.go, commands_runnetwork.go,
// commands_runsecurity.go and commands_rundevice.go for RUN. Note that
// BuildKit's ADD takes neither --from nor --parents: those are COPY's alone.

// DockerfileReference is the address of the Dockerfile reference.
const DockerfileReference = "https://docs.docker.com/reference/dockerfile/"

// ValueInfo is one allowed value of a flag or mount key.
type ValueInfo struct {
	Value string
	Doc   string
}

// FlagInfo describes one `--name=value` option of an instruction.
type FlagInfo struct {
	Name        string // without the dashes
	Doc         string
	URL         string
	Placeholder string      // what the value is, for people: "<stage>", "<duration>"
	Values      []ValueInfo // the allowed values, when they are a fixed set
	Bool        bool        // may stand alone (`--link`), meaning true
	Repeatable  bool        // may be given more than once
	// Since is the first stable frontend (docker/dockerfile:<v>) with the
	// flag, zero for "always"; Labs the first labs (or experimental)
	// release that had it before Since, zero when it never was labs-only.
	// Features (frontend.go) lists them with the versioned forms.
	Since, Labs Version
}

// argForm is how BuildKit's parser reads an instruction's arguments (the
// dispatch table of frontend/dockerfile/parser/parser.go).
type argForm int

const (
	// formCommand is a JSON array or one shell command line (parseMaybeJSON).
	formCommand argForm = iota
	// formList is a JSON array or words split at blanks (parseMaybeJSONToList).
	formList
	// formWords is words split at blanks (parseStringsWhitespaceDelimited,
	// parseNameOrNameVal).
	formWords
	// formPairs is `key=value` pairs, or the legacy `key value` (parseEnv,
	// parseLabel).
	formPairs
	// formString is one string, blanks inside kept (parseString).
	formString
	// formHealthcheck is NONE, or CMD and a command (parseHealthConfig).
	formHealthcheck
	// formInstruction is another instruction (parseSubCommand).
	formInstruction
)

// json reports whether the arguments may be a JSON array (the exec form).
func (f argForm) json() bool { return f == formCommand || f == formList }

// ArgSlot is an argument slot of an instruction, after its flags, for
// signature help.
type ArgSlot struct {
	Label    string // in the reference's notation: "<src>..."
	Doc      string
	Variadic bool // takes the rest of the words
}

// InstructionInfo describes one Dockerfile instruction.
type InstructionInfo struct {
	Name   string // upper case
	Syntax string // usage, in the reference's notation
	Doc    string
	URL    string
	Flags  []FlagInfo
	form   argForm // how BuildKit parses the arguments
	// Heredoc is set when the instruction takes heredocs (`<<EOF`),
	// BuildKit's heredocDirectives.
	Heredoc bool
	Args    []ArgSlot // the argument slots after the flags, for signature help
	// Snippet is the keyword's completion in LSP snippet syntax; "" offers
	// the keyword alone.
	Snippet string
	// Expands is set when BuildKit expands variables in the instruction's
	// words itself (its command implements
	// instructions.SupportsSingleWordExpansion). FROM's base and ONBUILD's
	// trigger are expanded elsewhere, when they are used.
	Expands bool
	// Metadata is set when the instruction only sets image metadata: it
	// makes no layer and no later instruction of the build reads it.
	Metadata bool
	// State is set when the instruction changes the state the later
	// instructions of its stage run with, BuildKit's dispatch state: the
	// variables (ARG, ENV), working directory, user and shell.
	State bool
	// Trigger is set when the instruction may follow ONBUILD.
	Trigger bool
	// Deprecated instructions are never offered.
	Deprecated bool
}

// Flag returns the instruction's flag called name (without dashes,
// case-insensitively), or nil.
func (in *InstructionInfo) Flag(name string) *FlagInfo {
	for i := range in.Flags {
		if strings.EqualFold(in.Flags[i].Name, name) {
			return &in.Flags[i]
		}
	}
	return nil
}

func ref(anchor string) string { return DockerfileReference + "#" + anchor }

var boolValues = []ValueInfo{{"true", ""}, {"false", ""}}

var chownFlag = FlagInfo{
	Name:        "chown",
	Doc:         "Sets the user and group that own the copied files, as `user:group` names or numeric IDs. Without it they belong to root (UID and GID 0).",
	Placeholder: "<user>:<group>",
}

var chmodFlag = FlagInfo{
	Name:        "chmod",
	Doc:         "Sets the permission bits of the copied files, in octal (`0755`) or symbolic (`u=rwx,go=rx`) notation.",
	Placeholder: "<perms>",
	Since:       Version{1, 2},
}

var linkFlag = FlagInfo{
	Name:   "link",
	Doc:    "Places the files in a layer of their own, independent of what lies below, so the layer can be reused even when earlier layers change.",
	Bool:   true,
	Values: boolValues,
	Since:  Version{1, 4},
}

var excludeFlag = FlagInfo{
	Name:        "exclude",
	Doc:         "Leaves out the sources that match a path pattern (the same syntax as `.dockerignore`). May be given several times.",
	Placeholder: "<pattern>",
	Repeatable:  true,
	Since:       Version{1, 19},
	Labs:        Version{1, 7},
}

// Instructions lists every Dockerfile instruction, in the reference's order.
var Instructions = []InstructionInfo{
	{
		Name:   "FROM",
		Syntax: "FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]",
		Doc:    "Starts a new build stage on top of a base: an image from a registry, an earlier stage by its name (in lower case: BuildKit looks a FROM up by name only, exactly), or `scratch` for an empty one. `AS <name>` names the stage so later instructions can refer to it.",
		URL:    ref("from"),
		form:   formWords,
		Args: []ArgSlot{
			{"<image>", "The base: an image reference (`name[:tag][@digest]`), an earlier stage's name, or `scratch`.", false},
			{"[AS <name>]", "Names the stage, so `FROM`, `COPY --from` and `RUN --mount=from=` can refer to it.", false},
		},
		Snippet: "FROM ${1:image} AS ${2:name}",
		Flags: []FlagInfo{{
			Name:        "platform",
			Doc:         "Picks the platform of a multi-platform base, such as `linux/amd64`. Often set from a predefined ARG like `$BUILDPLATFORM` or `$TARGETPLATFORM`.",
			URL:         ref("from"),
			Placeholder: "<platform>",
			Values: []ValueInfo{
				{"$BUILDPLATFORM", "the platform of the machine running the build"},
				{"$TARGETPLATFORM", "the platform being built for"},
				{"linux/amd64", ""},
				{"linux/arm64", ""},
				{"linux/arm/v7", ""},
				{"windows/amd64", ""},
			},
		}},
	},
	{
		Name:    "RUN",
		Syntax:  "RUN [--mount=<spec>] [--network=<mode>] [--security=<mode>] [--device=<spec>] <command>",
		Doc:     "Runs a command in the stage's filesystem and keeps the result as a new layer. The shell form runs through the stage's shell; the exec form (a JSON array) runs the program directly. Heredocs can hold a whole script.",
		URL:     ref("run"),
		form:    formCommand,
		Heredoc: true,
		Args: []ArgSlot{
			{"<command>", "The command: a shell line, a JSON array run without a shell, or a heredoc.", false},
		},
		Trigger: true,
		Expands: true,
		Flags: []FlagInfo{
			{
				Name:        "mount",
				Doc:         "Attaches a filesystem to the command for its duration only: files from the context or another stage (`bind`), a persistent cache (`cache`), a scratch area (`tmpfs`), a secret (`secret`) or an SSH agent socket (`ssh`). Written as comma-separated `key=value` pairs; may be given several times.",
				URL:         ref("run---mount"),
				Placeholder: "type=<type>,<key>=<value>,...",
				Repeatable:  true,
				Since:       Version{1, 2},
				Labs:        Version{1, 0},
			},
			{
				Name:        "network",
				Doc:         "Chooses the network the command runs in.",
				URL:         ref("run---network"),
				Placeholder: "<mode>",
				Since:       Version{1, 3},
				Labs:        Version{1, 1},
				Values: []ValueInfo{
					{"default", "the build's normal network"},
					{"none", "no network at all: only a loopback device"},
					{"host", "the host's network (needs the `network.host` entitlement)"},
				},
			},
			{
				Name:        "security",
				Doc:         "Chooses the sandbox the command runs in. `insecure` runs it with extended privileges (needs the `security.insecure` entitlement).",
				URL:         ref("run---security"),
				Placeholder: "<mode>",
				Since:       Version{1, 20},
				Labs:        Version{1, 1},
				Values: []ValueInfo{
					{"sandbox", "the default, confined sandbox"},
					{"insecure", "extended privileges, like a privileged container"},
				},
			},
			{
				Name:        "device",
				Doc:         "Makes a device (a CDI device name) available to the command; add `required` to fail when it is missing. May be given several times.",
				URL:         ref("run---device"),
				Placeholder: "<name>[,required]",
				Repeatable:  true,
				Since:       Version{1, 27},
				Labs:        Version{1, 14},
			},
		},
	},
	{
		Name:   "CMD",
		Syntax: "CMD [\"executable\", \"param\", ...] | CMD command param ...",
		Doc:    "Sets the default command of a container started from the image, or default arguments to the ENTRYPOINT. Only the last CMD of a stage counts.",
		URL:    ref("cmd"),
		form:   formCommand,
		Args: []ArgSlot{
			{"<command>", "The default command of the container: a JSON array (preferred) or a shell line.", false},
		},
		Trigger:  true,
		Snippet:  "CMD [\"${1:executable}\"]",
		Metadata: true,
	},
	{
		Name:   "LABEL",
		Syntax: "LABEL <key>=<value> [<key>=<value> ...]",
		Doc:    "Adds metadata to the image as key-value pairs. Labels of the base image are inherited; a later label with the same key replaces the earlier one.",
		URL:    ref("label"),
		form:   formPairs,
		Args: []ArgSlot{
			{"<key>=<value>...", "Metadata pairs stored in the image.", true},
		},
		Trigger:  true,
		Snippet:  "LABEL ${1:key}=${2:value}",
		Expands:  true,
		Metadata: true,
	},
	{
		Name:   "MAINTAINER",
		Syntax: "MAINTAINER <name>",
		Doc:    "Records the image's author. Deprecated: use `LABEL org.opencontainers.image.authors=...` instead.",
		URL:    ref("maintainer-deprecated"),
		form:   formString,
		Args: []ArgSlot{
			{"<name>", "The author, as free text (deprecated: prefer a LABEL).", false},
		},
		Deprecated: true,
		Metadata:   true,
	},
	{
		Name:   "EXPOSE",
		Syntax: "EXPOSE <port>[/<protocol>] ...",
		Doc:    "Documents the ports the container listens on (TCP unless `/udp` is given). It does not publish them: that happens when the container is run.",
		URL:    ref("expose"),
		form:   formWords,
		Args: []ArgSlot{
			{"<port>[/<protocol>]...", "Ports the container listens on, with `tcp` (the default) or `udp`.", true},
		},
		Trigger:  true,
		Snippet:  "EXPOSE ${1:port}",
		Metadata: true,
	},
	{
		Name:   "ENV",
		Syntax: "ENV <key>=<value> [<key>=<value> ...]",
		Doc:    "Sets environment variables for the rest of the stage, for the stages built on it and for containers run from the image.",
		URL:    ref("env"),
		form:   formPairs,
		Args: []ArgSlot{
			{"<key>=<value>...", "Environment variables for the rest of the stage and the container.", true},
		},
		Trigger: true,
		Snippet: "ENV ${1:key}=${2:value}",
		Expands: true,
		State:   true,
	},
	{
		Name:    "ADD",
		Syntax:  "ADD [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--checksum=<hash>] [--keep-git-dir] [--unpack] [--exclude=<pattern>] <src>... <dest>",
		Doc:     "Copies files into the stage like COPY, and can also fetch remote URLs and Git repositories and unpack local tar archives. Prefer COPY unless you need one of those.",
		URL:     ref("add"),
		form:    formList,
		Heredoc: true,
		Args: []ArgSlot{
			{"<src>...", "What to add: paths in the build context, URLs or Git repositories.", true},
			{"<dest>", "Where to put it in the stage; relative to WORKDIR.", false},
		},
		Trigger: true,
		Snippet: "ADD ${1:src} ${2:dest}",
		Expands: true,
		Flags: []FlagInfo{
			withURL(chownFlag, ref("add---chown---chmod")),
			withURL(chmodFlag, ref("add---chown---chmod")),
			withURL(linkFlag, ref("add---link")),
			{
				Name:        "keep-git-dir",
				Doc:         "When the source is a Git repository, keeps its `.git` directory in the copy.",
				URL:         ref("add---keep-git-dir"),
				Bool:        true,
				Values:      boolValues,
				Placeholder: "<bool>",
				Since:       Version{1, 1},
			},
			{
				Name:        "checksum",
				Doc:         "Checks a remote source against a digest, such as `sha256:...`, and fails the build when it differs. For Git sources, the commit it must resolve to.",
				URL:         ref("add---checksum"),
				Placeholder: "<hash>",
				Since:       Version{1, 6},
				Labs:        Version{1, 5},
			},
			{
				Name:        "unpack",
				Doc:         "Says whether an archive source is extracted into the destination. Local archives are unpacked by default and remote ones are not; this overrides both.",
				URL:         ref("add---unpack"),
				Bool:        true,
				Values:      boolValues,
				Placeholder: "<bool>",
				Since:       Version{1, 17},
			},
			withURL(excludeFlag, ref("add---exclude")),
		},
	},
	{
		Name:    "COPY",
		Syntax:  "COPY [--from=<stage|image|context>] [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--parents] [--exclude=<pattern>] <src>... <dest>",
		Doc:     "Copies files into the stage: from the build context, or with `--from` from an earlier stage, an image or a named context.",
		URL:     ref("copy"),
		form:    formList,
		Heredoc: true,
		Args: []ArgSlot{
			{"<src>...", "Paths in the build context, or in the stage or image that `--from` names.", true},
			{"<dest>", "Where to put them in the stage; relative to WORKDIR.", false},
		},
		Trigger: true,
		Snippet: "COPY ${1:src} ${2:dest}",
		Expands: true,
		Flags: []FlagInfo{
			{
				Name:        "from",
				Doc:         "Copies from an earlier stage (by name or index), an image or a named build context instead of the build context.",
				URL:         ref("copy---from"),
				Placeholder: "<stage>",
			},
			withURL(chownFlag, ref("copy---chown---chmod")),
			withURL(chmodFlag, ref("copy---chown---chmod")),
			withURL(linkFlag, ref("copy---link")),
			{
				Name:   "parents",
				Doc:    "Keeps the parent directories of the sources in the destination, so `COPY --parents ./a/b/c.txt /out/` makes `/out/a/b/c.txt`.",
				URL:    ref("copy---parents"),
				Bool:   true,
				Values: boolValues,
				Since:  Version{1, 20},
				Labs:   Version{1, 7},
			},
			withURL(excludeFlag, ref("copy---exclude")),
		},
	},
	{
		Name:   "ENTRYPOINT",
		Syntax: "ENTRYPOINT [\"executable\", \"param\", ...] | ENTRYPOINT command param ...",
		Doc:    "Sets the program a container from the image runs; CMD then supplies its default arguments. Use the exec form so the program receives signals.",
		URL:    ref("entrypoint"),
		form:   formCommand,
		Args: []ArgSlot{
			{"<command>", "The program the container runs: a JSON array (preferred) or a shell line.", false},
		},
		Trigger:  true,
		Snippet:  "ENTRYPOINT [\"${1:executable}\"]",
		Metadata: true,
	},
	{
		Name:   "VOLUME",
		Syntax: "VOLUME [\"/path\", ...] | VOLUME /path ...",
		Doc:    "Marks paths as mount points for external volumes. Changes made to them by later build steps are discarded.",
		URL:    ref("volume"),
		form:   formList,
		Args: []ArgSlot{
			{"<path>...", "Mount points whose content is kept out of the image's layers.", true},
		},
		Trigger: true,
		Expands: true,
	},
	{
		Name:   "USER",
		Syntax: "USER <user>[:<group>]",
		Doc:    "Sets the user (and optionally group) for the rest of the stage's RUN, CMD and ENTRYPOINT, and for containers run from the image.",
		URL:    ref("user"),
		form:   formString,
		Args: []ArgSlot{
			{"<user>[:<group>]", "The user (and group) by name or ID for the rest of the stage and the container.", false},
		},
		Trigger: true,
		Snippet: "USER ${1:user}",
		Expands: true,
		State:   true,
	},
	{
		Name:   "WORKDIR",
		Syntax: "WORKDIR <path>",
		Doc:    "Sets the working directory for the instructions that follow, creating it if needed. A relative path is taken from the previous WORKDIR.",
		URL:    ref("workdir"),
		form:   formString,
		Args: []ArgSlot{
			{"<path>", "The working directory for the rest of the stage, created if missing.", false},
		},
		Trigger: true,
		Snippet: "WORKDIR ${1:/path}",
		Expands: true,
		State:   true,
	},
	{
		Name:   "ARG",
		Syntax: "ARG <name>[=<default>] ...",
		Doc:    "Declares a build argument that `--build-arg` may set. Before the first FROM it is global and only FROM lines see it, until a stage declares it again; in a stage it is visible from here to the stage's end.",
		URL:    ref("arg"),
		form:   formWords,
		Args: []ArgSlot{
			{"<name>[=<default>]...", "Build arguments, with an optional default.", true},
		},
		Trigger: true,
		Snippet: "ARG ${1:name}",
		Expands: true,
		State:   true,
	},
	{
		Name:   "ONBUILD",
		Syntax: "ONBUILD <instruction>",
		Doc:    "Stores an instruction to run later, when another build uses this image as its base.",
		URL:    ref("onbuild"),
		form:   formInstruction,
		Args: []ArgSlot{
			{"<instruction>", "An instruction to run when another build uses this image as its base.", false},
		},
	},
	{
		Name:   "STOPSIGNAL",
		Syntax: "STOPSIGNAL <signal>",
		Doc:    "Sets the signal sent to a container from the image to ask it to stop, such as `SIGTERM` or `SIGQUIT`.",
		URL:    ref("stopsignal"),
		form:   formString,
		Args: []ArgSlot{
			{"<signal>", "The signal that stops the container, by name (`SIGTERM`) or number.", false},
		},
		Trigger:  true,
		Expands:  true,
		Metadata: true,
	},
	{
		Name:   "HEALTHCHECK",
		Syntax: "HEALTHCHECK [--interval=<d>] [--timeout=<d>] [--start-period=<d>] [--start-interval=<d>] [--retries=<n>] CMD <command> | HEALTHCHECK NONE",
		Doc:    "Tells the container runtime how to check that a container is still working, or with `NONE` turns off a check inherited from the base.",
		URL:    ref("healthcheck"),
		form:   formHealthcheck,
		Args: []ArgSlot{
			{"CMD <command> | NONE", "The check to run, or NONE to turn off an inherited one.", false},
		},
		Trigger:  true,
		Snippet:  "HEALTHCHECK --interval=${1:30s} CMD ${2:command}",
		Metadata: true,
		Flags: []FlagInfo{
			{Name: "interval", Doc: "Time between checks (default 30s).", URL: ref("healthcheck"), Placeholder: "<duration>"},
			{Name: "timeout", Doc: "How long one check may take before it counts as failed (default 30s).", URL: ref("healthcheck"), Placeholder: "<duration>"},
			{Name: "start-period", Doc: "Grace time for the container to start: failures during it do not count (default 0s).", URL: ref("healthcheck"), Placeholder: "<duration>"},
			{Name: "start-interval", Doc: "Time between checks during the start period (default 5s).", URL: ref("healthcheck"), Placeholder: "<duration>"},
			{Name: "retries", Doc: "Failures in a row before the container counts as unhealthy (default 3).", URL: ref("healthcheck"), Placeholder: "<n>"},
		},
	},
	{
		Name:   "SHELL",
		Syntax: "SHELL [\"executable\", \"parameters\"]",
		Doc:    "Replaces the shell that the shell forms of RUN, CMD and ENTRYPOINT run through (by default `[\"/bin/sh\", \"-c\"]` on Linux).",
		URL:    ref("shell"),
		form:   formCommand,
		Args: []ArgSlot{
			{"[\"<executable>\", \"<parameters>\"...]", "The shell for shell-form commands, as a JSON array.", false},
		},
		Trigger: true,
		Snippet: "SHELL [\"${1:/bin/sh}\", \"${2:-c}\"]",
		State:   true,
	},
}

func withURL(f FlagInfo, url string) FlagInfo {
	f.URL = url
	return f
}

// instructionByCmd maps each instruction's lower-case name to its entry.
var instructionByCmd = func() map[string]*InstructionInfo {
	m := make(map[string]*InstructionInfo, len(Instructions))
	for i := range Instructions {
		m[strings.ToLower(Instructions[i].Name)] = &Instructions[i]
	}
	return m
}()

// instructionNames lists the instructions in lower case, sorted.
var instructionNames = func() []string {
	names := make([]string, 0, len(Instructions))
	for cmd := range instructionByCmd {
		names = append(names, cmd)
	}
	slices.Sort(names)
	return names
}()

// LookupInstruction returns the instruction called name, in any casing, or
// nil. Casings are matched as BuildKit's parser does, by strings.ToLower:
// `ſhell` (long s) is no SHELL, though the two fold together.
func LookupInstruction(name string) *InstructionInfo {
	return instructionByCmd[strings.ToLower(name)]
}

// TakesFrom reports whether the instruction called cmd (lower case) has a
// `--from=<stage>` flag, a stage reference: COPY's, not ADD's, which
// BuildKit rejects as an unknown flag.
func TakesFrom(cmd string) bool {
	in := instructionByCmd[cmd]
	return in != nil && in.Flag("from") != nil
}

// MountTypeInfo describes one `RUN --mount` type and the keys it takes.
type MountTypeInfo struct {
	Name string
	Doc  string
	URL  string
	Keys []string // canonical key names, in the order the reference lists them
}

// MountKeyInfo describes one key of a `RUN --mount` spec.
type MountKeyInfo struct {
	Name    string
	Aliases []string // other spellings BuildKit accepts
	Doc     string
	Values  []ValueInfo
	Bool    bool // may stand alone, without `=value`
}

// MountTypes lists the mount types BuildKit allows; bind is the default.
var MountTypes = []MountTypeInfo{
	{
		Name: "bind",
		Doc:  "Mounts files from the build context, an earlier stage or an image, read-only unless `rw` is given. The default type.",
		URL:  ref("run---mounttypebind"),
		Keys: []string{"target", "source", "from", "readwrite", "readonly"},
	},
	{
		Name: "cache",
		Doc:  "Mounts a directory that persists between builds, for compiler and package manager caches.",
		URL:  ref("run---mounttypecache"),
		Keys: []string{"id", "target", "readonly", "sharing", "from", "source", "mode", "uid", "gid"},
	},
	{
		Name: "tmpfs",
		Doc:  "Mounts an empty in-memory filesystem.",
		URL:  ref("run---mounttypetmpfs"),
		Keys: []string{"target", "size"},
	},
	{
		Name: "secret",
		Doc:  "Makes a secret given to the build available to the command, as a file or an environment variable, without storing it in the image.",
		URL:  ref("run---mounttypesecret"),
		Keys: []string{"id", "target", "env", "required", "mode", "uid", "gid"},
	},
	{
		Name: "ssh",
		Doc:  "Gives the command access to an SSH agent forwarded to the build, for fetching private repositories.",
		URL:  ref("run---mounttypessh"),
		Keys: []string{"id", "target", "required", "mode", "uid", "gid"},
	},
}

// MountKeys lists every key of a `RUN --mount` spec BuildKit knows.
var MountKeys = []MountKeyInfo{
	{Name: "type", Doc: "The kind of mount: `bind` (the default), `cache`, `tmpfs`, `secret` or `ssh`.", Values: mountTypeValues()},
	{Name: "target", Aliases: []string{"dst", "destination"}, Doc: "Where the mount appears in the command's filesystem."},
	{Name: "source", Aliases: []string{"src"}, Doc: "The path inside `from` (or the build context) to mount; for a secret, the secret's ID."},
	{Name: "from", Doc: "An earlier stage (by name only: `from=0` is an image), image or named context to mount from, instead of the build context. For a cache mount, the stage or image the cache starts from."},
	{Name: "readonly", Aliases: []string{"ro"}, Doc: "Mounts read-only.", Bool: true, Values: boolValues},
	{Name: "readwrite", Aliases: []string{"rw"}, Doc: "Allows writes; for a bind mount they are discarded after the command.", Bool: true, Values: boolValues},
	{Name: "id", Doc: "Names the cache, secret or SSH agent. A cache's ID defaults to its target."},
	{Name: "sharing", Doc: "How concurrent builds share a cache.", Values: []ValueInfo{
		{"shared", "all writers use it at once (the default)"},
		{"private", "a busy cache makes a new one"},
		{"locked", "later writers wait for the first to finish"},
	}},
	{Name: "mode", Doc: "Permission bits of the mount, in octal (`0755`)."},
	{Name: "uid", Doc: "User ID that owns the mount."},
	{Name: "gid", Doc: "Group ID that owns the mount."},
	{Name: "size", Doc: "Upper limit of a tmpfs mount's size, such as `64m`."},
	{Name: "required", Doc: "Fails the build when the secret or SSH agent is not supplied.", Bool: true, Values: boolValues},
	{Name: "env", Doc: "Puts the secret into this environment variable instead of (or as well as) a file."},
}

func mountTypeValues() []ValueInfo {
	v := make([]ValueInfo, len(MountTypes))
	for i, t := range MountTypes {
		v[i] = ValueInfo{t.Name, t.Doc}
	}
	return v
}

// LookupMountType returns the mount type called name, or nil.
func LookupMountType(name string) *MountTypeInfo {
	for i := range MountTypes {
		if strings.EqualFold(MountTypes[i].Name, name) {
			return &MountTypes[i]
		}
	}
	return nil
}

// LookupMountKey returns the mount key called name or one of its aliases, or nil.
func LookupMountKey(name string) *MountKeyInfo {
	for i := range MountKeys {
		k := &MountKeys[i]
		if strings.EqualFold(k.Name, name) {
			return k
		}
		for _, a := range k.Aliases {
			if strings.EqualFold(a, name) {
				return k
			}
		}
	}
	return nil
}

// MountKeysFor returns the keys a mount of type typ takes, `type` first
// ("" or an unknown type stands for bind, BuildKit's default).
func MountKeysFor(typ string) []MountKeyInfo {
	t := LookupMountType(typ)
	if t == nil {
		t = &MountTypes[0]
	}
	keys := []MountKeyInfo{*LookupMountKey("type")}
	for _, name := range t.Keys {
		keys = append(keys, *LookupMountKey(name))
	}
	return keys
}

// DirectiveInfo describes one parser directive.
type DirectiveInfo struct {
	Name   string
	Doc    string
	URL    string
	Values []ValueInfo
}

// ParserDirectives lists the parser directives, which BuildKit reads from
// comments at the very top of the file.
var ParserDirectives = []DirectiveInfo{
	{
		Name: "syntax",
		Doc:  "Picks the Dockerfile frontend image that builds this file, such as `docker/dockerfile:1` for the latest stable syntax.",
		URL:  ref("syntax"),
		Values: []ValueInfo{
			{"docker/dockerfile:1", "the latest stable 1.x frontend"},
			{"docker/dockerfile:1-labs", "the latest 1.x frontend with experimental features"},
		},
	},
	{
		Name: "escape",
		Doc:  "Sets the character that escapes characters and continues lines: `\\` (the default) or `` ` `` (handy on Windows, where `\\` separates paths).",
		URL:  ref("escape"),
		Values: []ValueInfo{
			{"\\", "the default"},
			{"`", "for Windows paths"},
		},
	},
	{
		Name: "check",
		Doc:  "Configures the build checks: `skip=<rule>,<rule>` turns rules off (`skip=all` turns them all off), `error=true` makes a failed check fail the build.",
		URL:  ref("check"),
		Values: []ValueInfo{
			{"skip=", "rules to skip, comma-separated, or `all`"},
			{"error=true", "fail the build when a check fails"},
		},
	},
}

// LookupDirective returns the parser directive called name, or nil.
func LookupDirective(name string) *DirectiveInfo {
	for i := range ParserDirectives {
		if strings.EqualFold(ParserDirectives[i].Name, name) {
			return &ParserDirectives[i]
		}
	}
	return nil
}

// Reindents reports whether the indentation of the instruction's
// continuation lines is only a separator between its words, which a
// formatter may change.
func (in *Instruction) Reindents() bool {
	if in.JSON {
		return false
	}
	info := instructionByCmd[in.Cmd]
	if info == nil || in.Cmd == "shell" { // BuildKit takes SHELL in JSON only
		return false
	}
	switch info.form {
	case formCommand, formList, formWords, formHealthcheck, formInstruction:
		return true
	case formPairs:
		return len(in.Args) > 0 && strings.Contains(in.Args[0].Value, "=")
	}
	return false // formString keeps its blanks
}
