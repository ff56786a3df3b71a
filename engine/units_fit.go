package engine

import (
	"fmt"
	"math"
	"sort"
)

// The reference a net is up against: the least-squares continuous
// piecewise-linear fit of ln(x) on the evaluation grid with k kinks (knots).
//
// Knot rule: a piecewise-linear interpolant's error on a piece of width h is
// about h²|f''|/8, and the L2-optimal knot density is ∝ |f''|^(2/5). For
// f = ln x, |f''| = x⁻², so the density is x^(−4/5), whose integral is
// 5x^(1/5): the knots are equally spaced in x^(1/5) between the grid's first
// and last points, t_j = (u₀ + j·(u₁−u₀)/(k+1))⁵. Each is then moved to the
// nearest midpoint between two grid points (distinct, increasing, with at
// least two grid points in the first and the last piece), so every piece has
// data and the fit is unique. The knots are placed, not optimized: on small
// grids the fit is within a few per cent of a brute-force knot search
// (TestReferenceFitAgainstBruteForce says how close).

// ReferenceFit is the rule's fit of the target with Kinks interior knots
// (ReferenceFitFor: of ln(x); a trainer's Units: of its own target).
type ReferenceFit struct {
	Kinks int       // interior knots asked for (after the cap)
	Knots []float64 // where they went
	MSE   float64   // on the evaluation grid, or on the points (On)
	// On is where it is fitted and measured (RefOnGrid, RefOnPoints), Rule
	// how its knots were placed: both for the texts (units_ref.go).
	On, Rule string
}

// MaxReferenceKinks is the most knots the 1000-point grid takes under the
// rule (the midpoints from the 2nd to the (N−2)th).
const MaxReferenceKinks = GridPoints - 3

var refGridX, refGridY = func() ([]float64, []float64) {
	x, y := make([]float64, GridPoints), make([]float64, GridPoints)
	for i := range x {
		x[i] = (float64(i) + 0.5) / GridPoints
		y[i] = math.Log(x[i])
	}
	return x, y
}()

// ReferenceFitFor fits ln(x) on the evaluation grid with k knots by the rule
// (k is clamped to 0…MaxReferenceKinks).
func ReferenceFitFor(k int) ReferenceFit {
	k = max(0, min(k, MaxReferenceKinks))
	knots := ruleKnots(refGridX, k)
	mse, _, err := fitPiecewiseLinear(refGridX, refGridY, knots)
	if err != nil { // cannot happen: the rule leaves data in every piece
		mse = math.NaN()
	}
	return ReferenceFit{Kinks: k, Knots: knots, MSE: mse, On: RefOnGrid, Rule: refRuleLn}
}

// ruleKnots places k knots for ln on the sorted grid xs (see above).
func ruleKnots(xs []float64, k int) []float64 {
	n := len(xs)
	if k <= 0 || n < 4 {
		return nil
	}
	k = min(k, n-3)
	// Midpoint i (1 ≤ i ≤ n−1) lies between xs[i−1] and xs[i]; allowed: 2 … n−2.
	mid := func(i int) float64 { return (xs[i-1] + xs[i]) / 2 }
	u0, u1 := math.Pow(xs[0], 0.2), math.Pow(xs[n-1], 0.2)
	idx := make([]int, k)
	for j := range idx {
		t := math.Pow(u0+float64(j+1)*(u1-u0)/float64(k+1), 5)
		i := sort.Search(n-1, func(i int) bool { return i >= 1 && mid(i) >= t })
		if i > 1 && i <= n-1 && t-mid(i-1) < mid(min(i, n-1))-t {
			i--
		}
		idx[j] = i
	}
	for j := range idx { // increasing, from 2
		lo := 2
		if j > 0 {
			lo = idx[j-1] + 1
		}
		idx[j] = max(idx[j], lo)
	}
	for j := k - 1; j >= 0; j-- { // and up to n−2
		hi := n - 2
		if j < k-1 {
			hi = idx[j+1] - 1
		}
		idx[j] = min(idx[j], hi)
	}
	knots := make([]float64, k)
	for j, i := range idx {
		knots[j] = mid(i)
	}
	return knots
}

// fitPiecewiseLinear is the least-squares continuous piecewise-linear fit of
// ys at the sorted xs with the given interior knots (sorted, inside the
// data's span), in the hat-function basis on the nodes xs[0], knots…, xs[n−1]:
// the normal equations are tridiagonal, solved directly. It returns the MSE
// and the fitted values at the nodes.
func fitPiecewiseLinear(xs, ys, knots []float64) (float64, []float64, error) {
	n := len(xs)
	if n < 2 || len(ys) != n {
		return 0, nil, fmt.Errorf("fit: want at least 2 points and as many values")
	}
	nodes := make([]float64, 0, len(knots)+2)
	nodes = append(nodes, xs[0])
	nodes = append(nodes, knots...)
	nodes = append(nodes, xs[n-1])
	m := len(nodes)
	for j := 1; j < m; j++ {
		if !(nodes[j] > nodes[j-1]) {
			return 0, nil, fmt.Errorf("fit: knots must increase strictly inside (%g, %g)", xs[0], xs[n-1])
		}
	}
	diag, off, rhs := make([]float64, m), make([]float64, m), make([]float64, m) // off[j]: (j, j+1)
	piece := 0
	for i, x := range xs {
		for piece < m-2 && x > nodes[piece+1] {
			piece++
		}
		a, b := nodes[piece], nodes[piece+1]
		lam := (x - a) / (b - a)
		w0, w1 := 1-lam, lam
		diag[piece] += w0 * w0
		diag[piece+1] += w1 * w1
		off[piece] += w0 * w1
		rhs[piece] += w0 * ys[i]
		rhs[piece+1] += w1 * ys[i]
	}
	// Thomas algorithm on the symmetric tridiagonal system.
	c, d := make([]float64, m), make([]float64, m)
	for j := 0; j < m; j++ {
		den := diag[j]
		if j > 0 {
			den -= off[j-1] * c[j-1]
		}
		if !(den > 1e-14*max(diag[j], 1e-300)) {
			return 0, nil, fmt.Errorf("fit: a piece between knots holds no data")
		}
		c[j] = off[j] / den
		d[j] = rhs[j]
		if j > 0 {
			d[j] -= off[j-1] * d[j-1]
		}
		d[j] /= den
	}
	v := make([]float64, m)
	for j := m - 1; j >= 0; j-- {
		v[j] = d[j]
		if j < m-1 {
			v[j] -= c[j] * v[j+1]
		}
	}
	var sse float64
	piece = 0
	for i, x := range xs {
		for piece < m-2 && x > nodes[piece+1] {
			piece++
		}
		a, b := nodes[piece], nodes[piece+1]
		lam := (x - a) / (b - a)
		e := (1-lam)*v[piece] + lam*v[piece+1] - ys[i]
		sse += e * e
	}
	return sse / float64(n), v, nil
}
