package analysis

import (
	"maps"
	"slices"
	"testing"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

func benchFiles(b *testing.B) map[string]string {
	files := map[string]string{"large": testgen.Large(1000)}
	if text, ok := testgen.CorpusText(b, "moby__buildkit__Dockerfile"); ok {
		files["buildkit"] = text
	}
	return files
}

// BenchmarkParse indexes whole files: the 20,000-line generated file,
// moby/buildkit's Dockerfile and a 100,000-line generated file, through the
// grouper (grouper) and through BuildKit's parser (buildkit-parser), the
// path the grouper replaced, so one run gives the ratio.
func BenchmarkParse(b *testing.B) {
	files := benchFiles(b)
	files["large100k"] = testgen.Large(5000)
	// In a fixed order, each document built by its own runs: what else is
	// live sets how often the collector runs.
	for _, name := range slices.Sorted(maps.Keys(files)) {
		text := files[name]
		b.Run(name+"/grouper", func(b *testing.B) {
			doc := NewDocument(text)
			b.SetBytes(int64(len(text)))
			cpu := testgen.CPUTime()
			for b.Loop() {
				Parse(doc)
			}
			testgen.ReportCPU(b, cpu)
		})
		b.Run(name+"/buildkit-parser", func(b *testing.B) {
			doc := NewDocument(text)
			b.SetBytes(int64(len(text)))
			src := newSourceLines(text)
			cpu := testgen.CPUTime()
			for b.Loop() {
				parseWithBuildKit(doc, src)
			}
			testgen.ReportCPU(b, cpu)
		})
	}
}

// BenchmarkKeystroke types a word into a RUN line in the middle of the file,
// one character an iteration, through Document.Apply and Index.Update.
func BenchmarkKeystroke(b *testing.B) {
	for name, text := range benchFiles(b) {
		b.Run(name, func(b *testing.B) {
			ix := Parse(NewDocument(text))
			mid := ix.Node(ix.Len() / 2)
			for k := ix.Len() / 2; k < ix.Len() && ix.Node(k).Cmd != "run"; k++ {
				mid = ix.Node(k)
			}
			off := mid.Start + mid.Len
			start := ix
			word := " verbose"
			i := 0
			for b.Loop() {
				if i == len(word) {
					b.StopTimer()
					ix, i = start, 0
					b.StartTimer()
				}
				e := Edit{Span: Span{off + i, off + i}, Text: word[i : i+1]}
				doc, _ := ix.Doc.Apply(e)
				ix = ix.Update(doc, e)
				i++
			}
		})
	}
}
