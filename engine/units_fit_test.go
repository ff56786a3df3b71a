package engine

import (
	"math"
	"math/rand/v2"
	"testing"
)

// denseFitMSE is an independent least-squares fit: the truncated-power basis
// 1, x, (x−t)₊ per knot, orthogonalized by modified Gram–Schmidt; the MSE is
// what the projection leaves. ok is false for a rank-deficient basis.
func denseFitMSE(xs, ys, knots []float64) (float64, bool) {
	cols := [][]float64{}
	one, lin := make([]float64, len(xs)), make([]float64, len(xs))
	for i, x := range xs {
		one[i], lin[i] = 1, x
	}
	cols = append(cols, one, lin)
	for _, t := range knots {
		c := make([]float64, len(xs))
		for i, x := range xs {
			c[i] = math.Max(0, x-t)
		}
		cols = append(cols, c)
	}
	r := append([]float64(nil), ys...)
	for j, c := range cols {
		norm0 := 0.0
		for _, v := range c {
			norm0 += v * v
		}
		for _, q := range cols[:j] {
			var d float64
			for i := range c {
				d += c[i] * q[i]
			}
			for i := range c {
				c[i] -= d * q[i]
			}
		}
		var n float64
		for _, v := range c {
			n += v * v
		}
		if n < 1e-20*norm0 || n == 0 {
			return 0, false
		}
		n = math.Sqrt(n)
		for i := range c {
			c[i] /= n
		}
		var d float64
		for i := range r {
			d += r[i] * c[i]
		}
		for i := range r {
			r[i] -= d * c[i]
		}
	}
	var sse float64
	for _, v := range r {
		sse += v * v
	}
	return sse / float64(len(xs)), true
}

func coarseLn(n int) (xs, ys []float64) {
	xs, ys = make([]float64, n), make([]float64, n)
	for i := range xs {
		xs[i] = (float64(i) + 0.5) / float64(n)
		ys[i] = math.Log(xs[i])
	}
	return xs, ys
}

// The hat-basis solver agrees with the dense one at any knots.
func TestFitMatchesDenseLeastSquares(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	xs, ys := coarseLn(60)
	for trial := 0; trial < 50; trial++ {
		k := 1 + rng.IntN(6)
		knots := ruleKnots(xs, k)
		for j := range knots { // jitter inside each knot's cell, keeping the order
			knots[j] += (rng.Float64() - 0.5) / 60 * 0.9
		}
		got, _, err := fitPiecewiseLinear(xs, ys, knots)
		want, ok := denseFitMSE(xs, ys, knots)
		if err != nil || !ok {
			t.Fatalf("knots %v: %v (dense ok %v)", knots, err, ok)
		}
		if math.Abs(got-want) > 1e-9*want {
			t.Fatalf("knots %v: hat fit mse %v, dense %v", knots, got, want)
		}
	}
	if _, _, err := fitPiecewiseLinear(xs, ys, []float64{0.5, 0.5}); err == nil {
		t.Fatal("two knots at one place: want an error, not a singular solve")
	}
}

// The rule's fit against a brute-force knot search on a coarse grid: every
// knot position on a lattice of 7 per grid cell (k = 1: 273 fits), every pair
// on a lattice of 3 per cell (k = 2: 6,786 fits). The brute force can only be
// better (its lattice holds the rule's midpoints), and the rule must be
// within 15% of it (measured: 5.1% for k = 1, 0.8% for k = 2).
func TestReferenceFitAgainstBruteForce(t *testing.T) {
	xs, ys := coarseLn(40)
	lattice := func(per int) []float64 {
		var l []float64
		for i := 0; i+1 < len(xs); i++ {
			for q := 1; q < per; q++ {
				l = append(l, xs[i]+(xs[i+1]-xs[i])*float64(q)/float64(per))
			}
		}
		return l
	}
	for _, k := range []int{1, 2} {
		rule, _, err := fitPiecewiseLinear(xs, ys, ruleKnots(xs, k))
		if err != nil {
			t.Fatal(err)
		}
		best := math.Inf(1)
		var at []float64
		switch k {
		case 1:
			for _, a := range lattice(8) {
				if m, ok := denseFitMSE(xs, ys, []float64{a}); ok && m < best {
					best, at = m, []float64{a}
				}
			}
		case 2:
			l := lattice(4)
			for i, a := range l {
				for _, b := range l[i+1:] {
					if m, ok := denseFitMSE(xs, ys, []float64{a, b}); ok && m < best {
						best, at = m, []float64{a, b}
					}
				}
			}
		}
		t.Logf("k=%d: rule %v at %v · brute force %v at %v · ratio %.3f", k, rule, ruleKnots(xs, k), best, at, rule/best)
		if best > rule*(1+1e-9) || rule > 1.15*best {
			t.Fatalf("k=%d: rule mse %v, brute force %v: want brute ≤ rule ≤ 1.15·brute", k, rule, best)
		}
	}
}

// On the evaluation grid: k = 0 is the least-squares line, more knots never
// fit worse, and the knots are distinct, increasing and inside the grid.
func TestReferenceFitOnTheGrid(t *testing.T) {
	line, ok := denseFitMSE(refGridX, refGridY, nil)
	if r := ReferenceFitFor(0); !ok || math.Abs(r.MSE-line) > 1e-9*line {
		t.Fatalf("k=0: %v, the least-squares line %v", r.MSE, line)
	}
	prev := math.Inf(1)
	for _, k := range []int{0, 1, 2, 5, 12, 30, 60, 200, MaxReferenceKinks, MaxReferenceKinks + 5} {
		r := ReferenceFitFor(k)
		if r.Kinks != min(k, MaxReferenceKinks) || len(r.Knots) != r.Kinks {
			t.Fatalf("k=%d: %d kinks, %d knots", k, r.Kinks, len(r.Knots))
		}
		for j, x := range r.Knots {
			if x <= refGridX[0] || x >= refGridX[GridPoints-1] || j > 0 && x <= r.Knots[j-1] {
				t.Fatalf("k=%d: knot %d at %v is out of order or outside the grid", k, j, x)
			}
		}
		if !(r.MSE <= prev*(1+1e-12)) {
			t.Fatalf("k=%d: mse %v after %v with fewer knots", k, r.MSE, prev)
		}
		prev = r.MSE
		t.Logf("k=%d: mse %.3g", k, r.MSE)
	}
}
