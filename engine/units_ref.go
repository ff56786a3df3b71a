package engine

import (
	"fmt"
	"math"
	"sort"
)

// The reference fit for any target (issue 24): the knot rule of
// units_fit.go in general form. The L2-optimal knot density of a
// piecewise-linear fit is ∝ |f''|^(2/5); for ln that is x^(−4/5), whose
// integral gives the x^(1/5) rule, kept as it is for ln. For any other
// target f'' is read off the evaluation grid by second differences (a kink
// or a jump shows as a spike, and draws knots to it), a floor of 5% of the
// mean density keeps straight stretches from getting none, and the knots
// are spread so each holds an equal share of the density. They are then
// moved to the nearest gap between two data points (at least two points
// before the first knot and after the last), so every piece has data. For
// the user's points the density comes from the points joined by lines and
// the fit is of the points themselves.

// Where a reference fit is measured, as the texts say it.
const (
	RefOnGrid   = "the grid"
	RefOnPoints = "the points"
	refRuleLn   = "knots evenly spaced in x^(1/5), for ln"
)

// referenceFit is the rule's fit of this run's target with k knots.
func (t *Trainer) referenceFit(k int) ReferenceFit {
	k = max(0, min(k, MaxReferenceKinks))
	if t.cfg.Points == nil && t.tgt.singular { // ln: the x^(1/5) rule, as before
		r := fitWith(t.gridX, t.gridY, ruleKnots(t.gridX, k))
		r.On, r.Rule = RefOnGrid, refRuleLn
		return r
	}
	pos := densityKnots(t.gridX, t.gridY, k)
	xs, ys, on, rule := t.gridX, t.gridY, RefOnGrid, "knots spread by the target's curvature"
	if ps := t.cfg.Points; ps != nil {
		xs, ys, on, rule = ps.X, ps.Y, RefOnPoints, "knots spread by the joined points' bends"
	}
	r := fitWith(xs, ys, snapKnots(dataGaps(xs), pos))
	r.On, r.Rule = on, rule
	return r
}

// fitWith fits ys at xs with the knots; a knot set that leaves a piece
// without enough data (possible with repeated x in the points) is halved
// until it fits, so the reference always has a figure (Kinks: the knots
// it kept).
func fitWith(xs, ys, knots []float64) ReferenceFit {
	for {
		mse, _, err := fitPiecewiseLinear(xs, ys, knots)
		if err == nil || len(knots) == 0 {
			if err != nil {
				mse = math.NaN()
			}
			return ReferenceFit{Kinks: len(knots), Knots: knots, MSE: mse}
		}
		half := make([]float64, 0, len(knots)/2)
		for i := 1; i < len(knots); i += 2 {
			half = append(half, knots[i])
		}
		knots = half
	}
}

// densityKnots places k knots on the uniform grid xs so each holds an
// equal share of |f”|^(2/5) (plus the floor), f read as ys.
func densityKnots(xs, ys []float64, k int) []float64 {
	n := len(xs)
	if k <= 0 || n < 3 {
		return nil
	}
	d := make([]float64, n)
	var mean float64
	for i := 1; i < n-1; i++ {
		h := (xs[i+1] - xs[i-1]) / 2
		f2 := (ys[i+1] - 2*ys[i] + ys[i-1]) / (h * h)
		d[i] = math.Pow(math.Abs(f2), 0.4)
		mean += d[i] / float64(n-2)
	}
	d[0], d[n-1] = d[1], d[n-2]
	floor := 0.05 * mean
	if !(floor > 0) || math.IsInf(floor, 0) { // a straight line (or overflow): spread evenly
		floor, mean = 1, 0
		clear(d)
	}
	cum := make([]float64, n)
	for i := 1; i < n; i++ {
		cum[i] = cum[i-1] + (d[i-1]+d[i]+2*floor)/2*(xs[i]-xs[i-1])
	}
	pos := make([]float64, k)
	for j := range pos {
		want := cum[n-1] * float64(j+1) / float64(k+1)
		i := sort.SearchFloat64s(cum, want) // cum[i-1] < want ≤ cum[i]
		i = max(1, min(i, n-1))
		f := (want - cum[i-1]) / (cum[i] - cum[i-1])
		pos[j] = xs[i-1] + f*(xs[i]-xs[i-1])
	}
	return pos
}

// dataGaps are the places a knot may go on sorted xs: the midpoints
// between two different neighbouring x with at least two points on either
// side (on the grid, the 2nd to the (N−2)th midpoint, as ruleKnots uses).
func dataGaps(xs []float64) []float64 {
	var gaps []float64
	for i := 2; i <= len(xs)-2; i++ {
		if xs[i] > xs[i-1] {
			gaps = append(gaps, (xs[i-1]+xs[i])/2)
		}
	}
	return gaps
}

// snapKnots moves each knot to its nearest gap, then apart: distinct and
// increasing, as many as there are gaps at most.
func snapKnots(gaps, pos []float64) []float64 {
	k := min(len(pos), len(gaps))
	if k == 0 {
		return nil
	}
	idx := make([]int, k)
	for j := range idx {
		i := sort.SearchFloat64s(gaps, pos[j])
		if i == len(gaps) || i > 0 && pos[j]-gaps[i-1] < gaps[i]-pos[j] {
			i--
		}
		idx[j] = i
	}
	for j := 1; j < k; j++ { // increasing
		idx[j] = max(idx[j], idx[j-1]+1)
	}
	for j := k - 1; j >= 0; j-- { // and within the gaps
		hi := len(gaps) - 1
		if j < k-1 {
			hi = idx[j+1] - 1
		}
		idx[j] = min(idx[j], hi)
	}
	knots := make([]float64, k)
	for j, i := range idx {
		knots[j] = gaps[i]
	}
	return knots
}

// Text says what a reference fit is, for the units room and the summary.
func (r ReferenceFit) Text() string {
	return fmt.Sprintf("least-squares %d-kink line on %s, %s", r.Kinks, r.On, r.Rule)
}
