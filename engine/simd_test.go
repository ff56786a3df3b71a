package engine

import (
	"fmt"
	"math"
	"testing"
)

// simdPaths are the step's paths this machine can run: the scalar twins
// always, the AVX2 kernels and the AVX-512 one where the CPU has them (and
// not with -tags purego).
func simdPaths() []int {
	var p []int
	for l := pathScalar; l <= simdLevel(); l++ {
		p = append(p, l)
	}
	return p
}

func pathName(p int) string { return [...]string{"scalar", "avx2", "avx512"}[p] }

// withPath runs f with the kernels of one path selected.
func withPath(p int, f func()) {
	o2, o5 := useAVX2, useAVX512
	useAVX2, useAVX512 = p >= pathAVX2, p >= pathAVX512
	defer func() { useAVX2, useAVX512 = o2, o5 }()
	f()
}

// Every path gives the same parameters, bit for bit, after 10^4 steps of
// every optimizer at batch 1, 7 (the reference path and the optimizer
// kernels), 50, 500 and 5000 (the fast path too). Weights from the answer's
// init so the units are alive and every kernel's branches are taken.
func TestVectorPathsAreBitIdentical(t *testing.T) {
	paths := simdPaths()
	t.Logf("paths on this machine: %v", paths)
	steps := 10_000
	if testing.Short() {
		steps = 300
	} else if raceOn {
		steps = 1000
	}
	for _, batch := range []int{1, 7, 50, 500, 5000} {
		for _, opt := range Optimizers {
			t.Run(fmt.Sprintf("batch=%d/%s", batch, opt), func(t *testing.T) {
				n := steps
				cfg := DefaultConfig()
				cfg.Init, cfg.Optimizer, cfg.LR, cfg.Batch = InitNormal, opt, DefaultLR[opt], batch
				var params [][]float64
				var losses []float64
				for _, vec := range paths {
					withPath(vec, func() {
						tr := mustNew(t, cfg)
						tr.Run(n)
						if d, at, why := tr.Diverged(); d {
							t.Logf("%s: diverged at step %d: %s", pathName(vec), at, why)
						}
						params = append(params, tr.net.Params)
						losses = append(losses, tr.LastLoss())
					})
				}
				for i := 1; i < len(params); i++ {
					for k := range params[0] {
						if math.Float64bits(params[0][k]) != math.Float64bits(params[i][k]) {
							t.Fatalf("after %d steps, param %d: %s %.17g, %s %.17g", n, k,
								pathName(paths[0]), params[0][k], pathName(paths[i]), params[i][k])
						}
					}
					if math.Float64bits(losses[0]) != math.Float64bits(losses[i]) {
						t.Fatalf("last loss: %.17g and %.17g", losses[0], losses[i])
					}
				}
			})
		}
	}
}

// Each path's fast step stays within 1e-9 of the dense reference.
func TestEveryPathMatchesReference(t *testing.T) {
	for _, vec := range simdPaths() {
		t.Run(pathName(vec), func(t *testing.T) {
			withPath(vec, func() { TestFastPathMatchesReference(t) })
		})
	}
}

// transpose (4×4 blocks in AVX, the edges in Go) is the plain loop on every
// path, for every shape up to 13×13, with and without adding.
func TestTransposeMatchesLoop(t *testing.T) {
	for _, vec := range simdPaths() {
		for rows := 1; rows <= 13; rows++ {
			for cols := 1; cols <= 13; cols++ {
				for _, add := range []bool{false, true} {
					ss, ds := cols+rows%3, rows+cols%5
					src, dst := make([]float64, rows*ss), make([]float64, cols*ds)
					for i := range src {
						src[i] = float64(i) + 0.25
					}
					for i := range dst {
						dst[i] = -float64(i)
					}
					want := append([]float64(nil), dst...)
					for r := 0; r < rows; r++ {
						for c := 0; c < cols; c++ {
							if add {
								want[c*ds+r] += src[r*ss+c]
							} else {
								want[c*ds+r] = src[r*ss+c]
							}
						}
					}
					withPath(vec, func() { transpose(dst, src, rows, cols, ss, ds, add) })
					if !sameFloats(dst, want) {
						t.Fatalf("%s: %d×%d (strides %d, %d, add %v): got %v, want %v", pathName(vec), rows, cols, ss, ds, add, dst, want)
					}
				}
			}
		}
	}
}

// Other shapes take the general kernels (rows of 4, 20 and 72 lanes; fused
// and layered): the same bits on every path there too.
func TestVectorPathsAreBitIdenticalOnOtherShapes(t *testing.T) {
	steps := 2000
	if testing.Short() || raceOn {
		steps = 200
	}
	for _, hidden := range [][]int{{7, 3}, {30, 20}, {20, 10, 5}, {3, 70}, {16, 16}} {
		for _, opt := range []string{OptSGD, OptAdam} {
			t.Run(fmt.Sprintf("%v/%s", hidden, opt), func(t *testing.T) {
				cfg := DefaultConfig()
				cfg.Hidden, cfg.Init, cfg.Optimizer, cfg.LR, cfg.Batch = hidden, InitNormal, opt, DefaultLR[opt], 64
				var params [][]float64
				for _, vec := range simdPaths() {
					withPath(vec, func() {
						tr := mustNew(t, cfg)
						tr.Run(steps)
						params = append(params, tr.net.Params)
					})
				}
				for i := 1; i < len(params); i++ {
					if !sameFloats(params[0], params[i]) {
						t.Fatalf("after %d steps the paths' parameters differ", steps)
					}
				}
			})
		}
	}
}
