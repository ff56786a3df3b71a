//go:build amd64 && !purego

package engine

import (
	"math/rand/v2"
	"testing"
)

// The vector log takes every batch the trainer draws: x in (0, 1] is always
// positive, normal and finite, so logs never falls back to the scalar loop.
func TestLogKernelTakesEveryBatch(t *testing.T) {
	if simdLevel() < pathAVX2 {
		t.Skip("no AVX2 on this CPU")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := make([]float64, 4096), make([]float64, 4096)
	for i := range x {
		x[i] = 1 - rng.Float64()
	}
	x[0], x[1] = 1, 0x1p-53 // the ends of (0, 1] a draw can reach with xmin 0
	if !logAVX(&y[0], &x[0], len(x)) {
		t.Fatal("the vector log refused a batch from (0, 1]")
	}
}
