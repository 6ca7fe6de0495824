//go:build !race

package codeaction

const raceEnabled = false
