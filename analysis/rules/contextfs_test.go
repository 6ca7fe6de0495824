package rules

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/stagehand-ls/stagehand/analysis"
)

// countingFS counts the reads made of fsys, and how often it is held and
// released (as confined.FS is).
type countingFS struct {
	fsys            fstest.MapFS
	reads           map[string]int
	holds, releases int
}

func (c *countingFS) Open(name string) (fs.File, error) { return c.fsys.Open(name) }

func (c *countingFS) Stat(name string) (fs.FileInfo, error) {
	c.reads["stat "+name]++
	return c.fsys.Stat(name)
}

func (c *countingFS) ReadDir(name string) ([]fs.DirEntry, error) {
	c.reads["readdir "+name]++
	return c.fsys.ReadDir(name)
}

func (c *countingFS) ReadFile(name string) ([]byte, error) {
	c.reads["readfile "+name]++
	return c.fsys.ReadFile(name)
}

func (c *countingFS) Hold() (fs.FS, func(), error) {
	c.holds++
	return c, func() { c.releases++ }, nil
}

// TestRunReadsContextOnce: one run of the rules reads each of the build
// context's files once, however many rules and stages ask about it, and a
// run after an edit, which checks the reads of every stage it keeps, as
// well; a file system that can be held open is held once a run and
// released at its end. Before runFS, the stages of this file stat'ed the
// same files once each, and the kept stages' reads were made again, one
// by one, on every keystroke.
func TestRunReadsContextOnce(t *testing.T) {
	text := "FROM node:20 AS app\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"server.js\"]\n" +
		"FROM node:20 AS web\nWORKDIR /web\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"server.js\"]\n" +
		"FROM node:20 AS admin\nWORKDIR /admin\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"server.js\"]\n"
	c := &countingFS{fsys: fstest.MapFS{"package.json": {Data: []byte("{}")}, "package-lock.json": {}, "server.js": {}}, reads: map[string]int{}}
	cache := &Cache{}
	run := func(what string, ix *analysis.Index) {
		t.Helper()
		clear(c.reads)
		holds := c.holds
		Run(ix, &Config{Context: analysis.BuildContext{FS: c}, Cache: cache})
		if len(c.reads) == 0 {
			t.Fatalf("%s: the rules read nothing of the build context; the test tests nothing", what)
		}
		for read, n := range c.reads {
			if n > 1 {
				t.Errorf("%s: %s made %d times in one run", what, read, n)
			}
		}
		if c.holds != holds+1 || c.releases != c.holds {
			t.Errorf("%s: held %d times in the run, released %d of %d in all", what, c.holds-holds, c.releases, c.holds)
		}
	}
	ix := analysis.Parse(analysis.NewDocument(text))
	run("first run", ix)
	at := len("FROM node:20 AS app\nWORKDIR /app\nCOPY . .\nRUN npm ci")
	e := analysis.Edit{Span: analysis.Span{Start: at, End: at}, Text: " --no-audit"}
	doc, err := ix.Doc.Apply(e)
	if err != nil {
		t.Fatal(err)
	}
	run("after an edit of the first stage", ix.Update(doc, e))
}
