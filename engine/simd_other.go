//go:build !amd64 || purego

package engine

func simdLevel() int { return pathScalar }
