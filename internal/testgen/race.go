//go:build race

package testgen

// Race is set under the race detector, which slows the corpus tests
// tenfold: they then take a sample (see Sample).
const Race = true
