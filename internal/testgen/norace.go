//go:build !race

package testgen

// Race is set under the race detector (see race.go).
const Race = false
