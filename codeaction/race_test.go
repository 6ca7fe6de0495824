//go:build race

package codeaction

// raceEnabled is set under the race detector, which slows the corpus
// tests tenfold; they then take a sample (this package runs nothing
// concurrently for the detector to check).
const raceEnabled = true
