package engine

import (
	"math"
	"math/rand/v2"
	"testing"
)

// logs is math.Log bit for bit on every path: on the batch's range (0, 1],
// across every binade, at the edge of its reduction (f1 = √2/2) and on the
// inputs the vector kernel leaves to the scalar path (0, subnormal,
// negative, ±Inf, NaN), in any position of a block of four.
func TestLogsIsMathLogBitForBit(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var x []float64
	for i := 0; i < 100_000; i++ {
		x = append(x, 1-rng.Float64(), math.Ldexp(0.5+rng.Float64()/2, rng.IntN(2046)-1021))
	}
	for e := -1021; e <= 1024; e++ { // f1 at, just below and just above √2/2 in every binade
		h := math.Ldexp(7.07106781186547524401e-01, e)
		x = append(x, h, math.Nextafter(h, 0), math.Nextafter(h, 2*h), math.Ldexp(1, e-1))
	}
	x = append(x, 1, 0x1p-1022, math.MaxFloat64, 0x1p-53)
	special := []float64{0, math.Copysign(0, -1), 5e-324, 2e-310, -1, math.Inf(1), math.Inf(-1), math.NaN()}
	check := func(name string, x []float64) {
		for _, vec := range simdPaths() {
			y := make([]float64, len(x))
			withPath(vec, func() { logs(y, x) })
			for i, v := range x {
				want := math.Log(v)
				if math.Float64bits(y[i]) != math.Float64bits(want) && !(math.IsNaN(want) && math.IsNaN(y[i])) {
					t.Fatalf("%s, %s: log(%v) = %v, math.Log %v", name, pathName(vec), v, y[i], want)
				}
			}
		}
	}
	check("normal inputs", x)
	for _, s := range special {
		for pos := 0; pos < 5; pos++ {
			b := append([]float64(nil), x[:9]...)
			b[pos] = s
			check("with a special input", b)
		}
	}
}
