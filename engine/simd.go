package engine

// useAVX2 selects the vector kernels (fast_amd64.s, fast12_amd64.s,
// optim_amd64.s, log_amd64.s) on an amd64 CPU with AVX2, and useAVX512 the
// AVX-512F one (optim512_amd64.s) on a CPU that has that too; everything
// else, and -tags purego, runs their scalar twins. Every path gives the same
// bits. Only tests change them, to run each path on one machine.
var useAVX2, useAVX512 = simdLevel() >= 1, simdLevel() >= 2

// The paths, as simdLevel reports the best one the CPU has.
const (
	pathScalar = iota
	pathAVX2
	pathAVX512
)
