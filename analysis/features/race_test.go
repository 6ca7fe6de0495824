//go:build race

package features

// raceEnabled is set under the race detector, which slows the corpus
// tests tenfold; they then take a sample of the corpus and of its variants
// (they run nothing concurrently for the detector to check).
const raceEnabled = true
