// Package features holds the editor features that are neither completion
// nor code actions, one a file, each file named after the server/ file
// that wires it: hover.go, definition.go, references.go, highlight.go,
// rename.go, folding.go, inlayhint.go, codelens.go, documentlink.go,
// symbols.go, signaturehelp.go, semantictokens.go, formatting.go (with
// formatting_shell.go) and stagegraph.go.
//
// A feature is a function of an *analysis.Index (and a context when it
// walks the whole file, so a cancelled request stops early). Like the
// analysis core it knows nothing of LSP or JSON: it speaks byte offsets,
// analysis.Span and its own result types, and server converts them to
// protocol positions (UTF-16 unless negotiated) at the edge. The questions
// several features and the rules ask (what a name refers to, where it
// occurs, which stages a build reaches) are core queries in package
// analysis.
package features
