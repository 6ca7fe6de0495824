//go:build race

package analysis

// raceEnabled is set when the race detector runs, which makes timings
// meaningless.
const raceEnabled = true
