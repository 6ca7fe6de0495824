package analysis

import "strings"

// Signature describes the instruction being typed: a label listing its
// flags and arguments, and which of them the cursor is on.
type Signature struct {
	Label  string
	Doc    string
	URL    string
	Params []SigParam
	Active int // index into Params, or -1 when the cursor is on none
}

// SigParam is one flag or argument of a Signature; Start and End place it
// in the label, in bytes.
type SigParam struct {
	Start, End int
	Doc        string
}

// sigArg is an argument slot of an instruction, in our own words.
type sigArg struct {
	label, doc string
	variadic   bool
}

var sigArgs = map[string][]sigArg{
	"from": {
		{"<image>", "The base: an image reference (`name[:tag][@digest]`), an earlier stage's name, or `scratch`.", false},
		{"[AS <name>]", "Names the stage, so `FROM`, `COPY --from` and `RUN --mount=from=` can refer to it.", false},
	},
	"run":         {{"<command>", "The command: a shell line, a JSON array run without a shell, or a heredoc.", false}},
	"cmd":         {{"<command>", "The default command of the container: a JSON array (preferred) or a shell line.", false}},
	"entrypoint":  {{"<command>", "The program the container runs: a JSON array (preferred) or a shell line.", false}},
	"label":       {{"<key>=<value>...", "Metadata pairs stored in the image.", true}},
	"maintainer":  {{"<name>", "The author, as free text (deprecated: prefer a LABEL).", false}},
	"expose":      {{"<port>[/<protocol>]...", "Ports the container listens on, with `tcp` (the default) or `udp`.", true}},
	"env":         {{"<key>=<value>...", "Environment variables for the rest of the stage and the container.", true}},
	"add":         {{"<src>...", "What to add: paths in the build context, URLs or Git repositories.", true}, {"<dest>", "Where to put it in the stage; relative to WORKDIR.", false}},
	"copy":        {{"<src>...", "Paths in the build context, or in the stage or image that `--from` names.", true}, {"<dest>", "Where to put them in the stage; relative to WORKDIR.", false}},
	"volume":      {{"<path>...", "Mount points whose content is kept out of the image's layers.", true}},
	"user":        {{"<user>[:<group>]", "The user (and group) by name or ID for the rest of the stage and the container.", false}},
	"workdir":     {{"<path>", "The working directory for the rest of the stage, created if missing.", false}},
	"arg":         {{"<name>[=<default>]...", "Build arguments, with an optional default.", true}},
	"onbuild":     {{"<instruction>", "An instruction to run when another build uses this image as its base.", false}},
	"stopsignal":  {{"<signal>", "The signal that stops the container, by name (`SIGTERM`) or number.", false}},
	"healthcheck": {{"CMD <command> | NONE", "The check to run, or NONE to turn off an inherited one.", false}},
	"shell":       {{"[\"<executable>\", \"<parameters>\"...]", "The shell for shell-form commands, as a JSON array.", false}},
}

// SignatureHelp returns the signature of the instruction at off and the
// flag or argument the cursor is on.
func (ix *Index) SignatureHelp(off int) (Signature, bool) {
	n, ok := ix.NodeAt(off)
	if !ok {
		return Signature{}, false
	}
	for _, h := range n.Heredocs {
		if body := n.Abs(Span{h.Body.Start, h.Terminator.End}); off > body.Start && off <= body.End {
			return Signature{}, false
		}
	}
	info := LookupInstruction(n.Cmd)
	args, known := sigArgs[n.Cmd]
	if info == nil || !known {
		return Signature{}, false
	}
	sig := Signature{Doc: info.Doc, URL: info.URL, Active: -1}
	var b strings.Builder
	b.WriteString(info.Name)
	add := func(label, doc string) {
		b.WriteByte(' ')
		sig.Params = append(sig.Params, SigParam{Start: b.Len(), End: b.Len() + len(label), Doc: doc})
		b.WriteString(label)
	}
	// Only the flags the pinned frontend has, each saying since when.
	flags := ix.Frontend().Available(info)
	for _, f := range flags {
		label := "[--" + f.Name
		if f.Placeholder != "" && !f.Bool {
			label += "=" + f.Placeholder
		}
		doc := f.Doc
		if note := SinceNote(n.Cmd, f.Name); note != "" {
			doc += " " + note
		}
		add(label+"]", doc)
	}
	for _, a := range args {
		add(a.label, a.doc)
	}
	sig.Label = b.String()

	kw := n.Abs(n.Keyword.Span)
	if off <= kw.End {
		return sig, true
	}
	for _, f := range n.Flags {
		if fs := n.Abs(f.Span); fs.Contains(off) {
			sig.Active = flagParam(flags, f.Name.Value)
			return sig, true
		}
	}
	k := 0
	for _, a := range n.Args {
		if n.Abs(a.Span).End < off {
			k++
		}
	}
	if n.JSON {
		k = 0
	}
	last := len(args) - 1
	switch {
	case n.Cmd == "copy" || n.Cmd == "add":
		if k >= 1 && k >= len(n.Args)-1 {
			k = 1
		} else {
			k = 0
		}
	case args[last].variadic || k > last:
		k = min(k, last)
	}
	sig.Active = len(flags) + k
	return sig, true
}

// flagParam returns the parameter index of the flag called name, or of the
// only flag name starts, or -1.
func flagParam(flags []FlagInfo, name string) int {
	match := -1
	for i, f := range flags {
		switch {
		case strings.EqualFold(f.Name, name):
			return i
		case name != "" && strings.HasPrefix(f.Name, strings.ToLower(name)):
			if match >= 0 {
				return -1
			}
			match = i
		}
	}
	return match
}
