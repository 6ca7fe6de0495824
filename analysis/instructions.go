package analysis

import "strings"

// This file describes the Dockerfile instructions, their flags, the
// `RUN --mount` types and keys and the parser directives as data, for
// completion and hover. The descriptions are our own words; each entry
// links to the Dockerfile reference for the full story.
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
}

// InstructionInfo describes one Dockerfile instruction.
type InstructionInfo struct {
	Name   string // upper case
	Syntax string // usage, in the reference's notation
	Doc    string
	URL    string
	Flags  []FlagInfo
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
}

var linkFlag = FlagInfo{
	Name:   "link",
	Doc:    "Places the files in a layer of their own, independent of what lies below, so the layer can be reused even when earlier layers change.",
	Bool:   true,
	Values: boolValues,
}

var excludeFlag = FlagInfo{
	Name:        "exclude",
	Doc:         "Leaves out the sources that match a path pattern (the same syntax as `.dockerignore`). May be given several times.",
	Placeholder: "<pattern>",
	Repeatable:  true,
}

// Instructions lists every Dockerfile instruction, in the reference's order.
var Instructions = []InstructionInfo{
	{
		Name:   "FROM",
		Syntax: "FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]",
		Doc:    "Starts a new build stage on top of a base: an image from a registry, an earlier stage by name or index, or `scratch` for an empty one. `AS <name>` names the stage so later instructions can refer to it.",
		URL:    ref("from"),
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
		Name:   "RUN",
		Syntax: "RUN [--mount=<spec>] [--network=<mode>] [--security=<mode>] [--device=<spec>] <command>",
		Doc:    "Runs a command in the stage's filesystem and keeps the result as a new layer. The shell form runs through the stage's shell; the exec form (a JSON array) runs the program directly. Heredocs can hold a whole script.",
		URL:    ref("run"),
		Flags: []FlagInfo{
			{
				Name:        "mount",
				Doc:         "Attaches a filesystem to the command for its duration only: files from the context or another stage (`bind`), a persistent cache (`cache`), a scratch area (`tmpfs`), a secret (`secret`) or an SSH agent socket (`ssh`). Written as comma-separated `key=value` pairs; may be given several times.",
				URL:         ref("run---mount"),
				Placeholder: "type=<type>,<key>=<value>,...",
				Repeatable:  true,
			},
			{
				Name:        "network",
				Doc:         "Chooses the network the command runs in.",
				URL:         ref("run---network"),
				Placeholder: "<mode>",
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
			},
		},
	},
	{
		Name:   "CMD",
		Syntax: "CMD [\"executable\", \"param\", ...] | CMD command param ...",
		Doc:    "Sets the default command of a container started from the image, or default arguments to the ENTRYPOINT. Only the last CMD of a stage counts.",
		URL:    ref("cmd"),
	},
	{
		Name:   "LABEL",
		Syntax: "LABEL <key>=<value> [<key>=<value> ...]",
		Doc:    "Adds metadata to the image as key-value pairs. Labels of the base image are inherited; a later label with the same key replaces the earlier one.",
		URL:    ref("label"),
	},
	{
		Name:   "MAINTAINER",
		Syntax: "MAINTAINER <name>",
		Doc:    "Records the image's author. Deprecated: use `LABEL org.opencontainers.image.authors=...` instead.",
		URL:    ref("maintainer-deprecated"),
	},
	{
		Name:   "EXPOSE",
		Syntax: "EXPOSE <port>[/<protocol>] ...",
		Doc:    "Documents the ports the container listens on (TCP unless `/udp` is given). It does not publish them: that happens when the container is run.",
		URL:    ref("expose"),
	},
	{
		Name:   "ENV",
		Syntax: "ENV <key>=<value> [<key>=<value> ...]",
		Doc:    "Sets environment variables for the rest of the stage, for the stages built on it and for containers run from the image.",
		URL:    ref("env"),
	},
	{
		Name:   "ADD",
		Syntax: "ADD [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--checksum=<hash>] [--keep-git-dir] [--unpack] [--exclude=<pattern>] <src>... <dest>",
		Doc:    "Copies files into the stage like COPY, and can also fetch remote URLs and Git repositories and unpack local tar archives. Prefer COPY unless you need one of those.",
		URL:    ref("add"),
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
			},
			{
				Name:        "checksum",
				Doc:         "Checks a remote source against a digest, such as `sha256:...`, and fails the build when it differs. For Git sources, the commit it must resolve to.",
				URL:         ref("add---checksum"),
				Placeholder: "<hash>",
			},
			{
				Name:        "unpack",
				Doc:         "Says whether an archive source is extracted into the destination. Local archives are unpacked by default and remote ones are not; this overrides both.",
				URL:         ref("add---unpack"),
				Bool:        true,
				Values:      boolValues,
				Placeholder: "<bool>",
			},
			withURL(excludeFlag, ref("add---exclude")),
		},
	},
	{
		Name:   "COPY",
		Syntax: "COPY [--from=<stage|image|context>] [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--parents] [--exclude=<pattern>] <src>... <dest>",
		Doc:    "Copies files into the stage: from the build context, or with `--from` from an earlier stage, an image or a named context.",
		URL:    ref("copy"),
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
			},
			withURL(excludeFlag, ref("copy---exclude")),
		},
	},
	{
		Name:   "ENTRYPOINT",
		Syntax: "ENTRYPOINT [\"executable\", \"param\", ...] | ENTRYPOINT command param ...",
		Doc:    "Sets the program a container from the image runs; CMD then supplies its default arguments. Use the exec form so the program receives signals.",
		URL:    ref("entrypoint"),
	},
	{
		Name:   "VOLUME",
		Syntax: "VOLUME [\"/path\", ...] | VOLUME /path ...",
		Doc:    "Marks paths as mount points for external volumes. Changes made to them by later build steps are discarded.",
		URL:    ref("volume"),
	},
	{
		Name:   "USER",
		Syntax: "USER <user>[:<group>]",
		Doc:    "Sets the user (and optionally group) for the rest of the stage's RUN, CMD and ENTRYPOINT, and for containers run from the image.",
		URL:    ref("user"),
	},
	{
		Name:   "WORKDIR",
		Syntax: "WORKDIR <path>",
		Doc:    "Sets the working directory for the instructions that follow, creating it if needed. A relative path is taken from the previous WORKDIR.",
		URL:    ref("workdir"),
	},
	{
		Name:   "ARG",
		Syntax: "ARG <name>[=<default>] ...",
		Doc:    "Declares a build argument that `--build-arg` may set. Before the first FROM it is global and only FROM lines see it, until a stage declares it again; in a stage it is visible from here to the stage's end.",
		URL:    ref("arg"),
	},
	{
		Name:   "ONBUILD",
		Syntax: "ONBUILD <instruction>",
		Doc:    "Stores an instruction to run later, when another build uses this image as its base.",
		URL:    ref("onbuild"),
	},
	{
		Name:   "STOPSIGNAL",
		Syntax: "STOPSIGNAL <signal>",
		Doc:    "Sets the signal sent to a container from the image to ask it to stop, such as `SIGTERM` or `SIGQUIT`.",
		URL:    ref("stopsignal"),
	},
	{
		Name:   "HEALTHCHECK",
		Syntax: "HEALTHCHECK [--interval=<d>] [--timeout=<d>] [--start-period=<d>] [--start-interval=<d>] [--retries=<n>] CMD <command> | HEALTHCHECK NONE",
		Doc:    "Tells the container runtime how to check that a container is still working, or with `NONE` turns off a check inherited from the base.",
		URL:    ref("healthcheck"),
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
	},
}

func withURL(f FlagInfo, url string) FlagInfo {
	f.URL = url
	return f
}

// LookupInstruction returns the instruction called name, in any casing, or
// nil. Casings are matched as BuildKit's parser does, by strings.ToLower:
// `ſhell` (long s) is no SHELL, though the two fold together.
func LookupInstruction(name string) *InstructionInfo {
	lower := strings.ToLower(name)
	for i := range Instructions {
		if strings.ToLower(Instructions[i].Name) == lower {
			return &Instructions[i]
		}
	}
	return nil
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
	{Name: "from", Doc: "An earlier stage, image or named context to mount from, instead of the build context. For a cache mount, the stage or image the cache starts from."},
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
