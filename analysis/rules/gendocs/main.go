// Command gendocs writes the rule reference pages, docs/rules/<Rule>.md and
// docs/rules/README.md, from the registry: `go generate ./analysis/rules`.
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"

	"github.com/stagehand-ls/stagehand/analysis/rules"
)

func main() {
	out := flag.String("out", "docs/rules", "directory for the pages")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(*out, name), []byte(text), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	for _, r := range rules.All() {
		write(r.Name+".md", rules.Page(r))
	}
	write("README.md", rules.IndexPage())
}
