package rules

import "github.com/stagehand-ls/stagehand/analysis"

// A local rule looks at one instruction at a time and at nothing else: not
// the stage it is in, not the file's other instructions, not the settings.
// It is PerStage: an incremental run gives it the instructions of the
// stages that changed only.

// runLocal runs a local rule over the instructions it looks at.
func runLocal(p *Pass) {
	r := p.Rule
	if len(r.Cmds) > 0 {
		for _, n := range p.NodesOf(r.Cmds...) {
			r.Local(p, n)
		}
		return
	}
	p.eachNode(func(n analysis.Node) { r.Local(p, n) })
}
