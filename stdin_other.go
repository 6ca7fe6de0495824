//go:build !unix

package main

import "os"

// protocolInput is stdin, from which the server reads the protocol.
func protocolInput() *os.File { return os.Stdin }

// protocolOutput is stdout, to which the server writes the protocol.
func protocolOutput() *os.File { return os.Stdout }
