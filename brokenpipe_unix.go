//go:build unix

package main

import (
	"os"
	"os/signal"
	"syscall"
)

// onBrokenOutput calls report when a write finds its pipe closed: the
// editor is gone or has closed our stdout. Without it the runtime ends the
// process on SIGPIPE and the log never says why.
func onBrokenOutput(report func()) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGPIPE)
	go func() {
		<-c
		report()
	}()
}
