//go:build !unix

package main

import "os"

// protocolInput is stdin, from which the server reads the protocol.
func protocolInput() *os.File { return os.Stdin }
