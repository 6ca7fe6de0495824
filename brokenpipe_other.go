//go:build !unix

package main

// onBrokenOutput does nothing where there is no SIGPIPE: a write to a
// closed pipe fails and the connection ends with that error.
func onBrokenOutput(func()) {}
