//go:build !unix

package server

import (
	"testing"
	"time"
)

func reportCPU(*testing.B, time.Duration) {}

func cpuNow() time.Duration { return 0 }
