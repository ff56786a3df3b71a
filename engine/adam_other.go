//go:build !amd64 || purego

package engine

const useAVX = false

func adamUpdate(p, g, m, v []float64, k *adamConsts) { adamScalar(p, g, m, v, k) }
