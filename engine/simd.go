package engine

// useAVX2 selects the vector kernels (fast_amd64.s, optim_amd64.s) on an
// amd64 CPU with AVX2; everything else, and -tags purego, runs their
// scalar twins. Only tests change it, to run both paths on one machine.
var useAVX2 = simdAvailable()
