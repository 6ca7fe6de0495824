//go:build !unix

package confined

const openFlags = 0
