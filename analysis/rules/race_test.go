//go:build race

package rules

// raceEnabled is set under the race detector, which slows the corpus
// tests tenfold; they then take a sample of the corpus (they run nothing
// concurrently for the detector to check).
const raceEnabled = true
