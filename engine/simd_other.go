//go:build !amd64 || purego

package engine

func simdAvailable() bool { return false }
