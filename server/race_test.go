//go:build race

package server

// raceEnabled is set under the race detector, which slows the heavy
// requests of the cancellation tests tenfold: they then run on smaller
// files, so that each answer still comes within the tests' deadlines.
const raceEnabled = true
