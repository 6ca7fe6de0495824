//go:build race

package analysis

// raceEnabled is set under the race detector, which slows the corpus
// tests tenfold; the differential test then checks the variants of a
// sample of files (the grouper runs nothing concurrently for the detector
// to check).
const raceEnabled = true
