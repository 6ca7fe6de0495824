package completion

import (
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// healthForms are what follows HEALTHCHECK's flags. BuildKit reads the
// word in any case (instructions.parseHealthcheck upper-cases it); NONE
// takes no flags (they would be ignored) and no arguments.
var healthForms = []analysis.ValueInfo{
	{Value: "CMD", Doc: "The command that checks the container: exit status 0 is healthy, 1 unhealthy. Shell form or a JSON array."},
	{Value: "NONE", Doc: "Turns off any health check inherited from the base image."},
}

// exposeProtocols are the protocols a port of EXPOSE may name after `/`
// (the default is tcp); BuildKit's ExposeProtoCasing wants them in lower
// case.
var exposeProtocols = []analysis.ValueInfo{
	{Value: "tcp", Doc: "TCP, the default when no protocol is given."},
	{Value: "udp", Doc: "UDP."},
	{Value: "sctp", Doc: "SCTP."},
}

// argValues completes the words an instruction takes from a fixed set:
// HEALTHCHECK's CMD or NONE after its flags (and, before anything is
// typed, the flags too), and the protocol after the `/` of an EXPOSE port.
func (c *context) argValues() []Item {
	switch c.kw {
	case "healthcheck":
		if c.prevIsFlag {
			return c.healthForms()
		}
	case "expose":
		slash := strings.LastIndexByte(c.word[:c.cur], '/')
		if slash <= 0 || strings.ContainsAny(c.word[slash+1:], "/:") {
			return nil
		}
		return values(exposeProtocols, c.word[slash+1:c.cur], c.span(c.ws+slash+1, c.we), Value)
	}
	return nil
}

// healthForms offers CMD and NONE, in the file's keyword casing; NONE only
// when no flag is given. Before anything is typed the flags are offered
// too, after them: HEALTHCHECK's flags stand before CMD.
func (c *context) healthForms() []Item {
	prefix := c.word[:c.cur]
	edit := c.span(c.ws, c.we)
	lower := c.lowerCase()
	var items []Item
	for i, f := range healthForms {
		if f.Value == "NONE" && len(c.words) > 1 {
			continue
		}
		label := f.Value
		if lower {
			label = strings.ToLower(label)
		}
		if !hasPrefixFold(label, prefix) {
			continue
		}
		it := Item{Label: label, Kind: Keyword, Documentation: f.Doc, Edit: edit, InsertText: label, SortText: "0" + sortKey(i)}
		if f.Value == "CMD" && c.we == len(c.text) {
			it.InsertText += " "
		}
		items = append(items, it)
	}
	if c.word == "" {
		if info := analysis.LookupInstruction(c.kw); info != nil {
			for _, it := range c.flagNames(info, -1) {
				it.SortText = "1" + it.SortText
				items = append(items, it)
			}
		}
	}
	return items
}
