package engine

import (
	"math"
	"testing"
)

// trainerOn is an untrained trainer on a target and domain.
func trainerOn(t *testing.T, target, domain string) *Trainer {
	t.Helper()
	cfg := DefaultConfig()
	if err := mustSetting(t, "domain").Apply(&cfg, domain); err != nil {
		t.Fatal(err)
	}
	if err := mustSetting(t, "target").Apply(&cfg, target); err != nil {
		t.Fatal(err)
	}
	return mustNew(t, cfg)
}

// The reference fit is the target's own: ln keeps the x^(1/5) rule bit for
// bit; |x − 0.5| needs one knot, and the rule puts it on the kink; on a
// smooth target the curvature rule does at least as well as evenly spaced
// knots on any domain.
func TestReferenceFitFollowsTheTarget(t *testing.T) {
	ln := trainerOn(t, "ln", "0:1")
	for _, k := range []int{0, 1, 5, 30} {
		got, want := ln.referenceFit(k), ReferenceFitFor(k)
		if got.MSE != want.MSE || len(got.Knots) != len(want.Knots) {
			t.Fatalf("ln k=%d: %v, ReferenceFitFor's %v", k, got.MSE, want.MSE)
		}
	}
	abs := trainerOn(t, "abs", "0:1").referenceFit(1)
	if len(abs.Knots) != 1 || math.Abs(abs.Knots[0]-0.5) > 1e-3 || abs.MSE > 1e-12 {
		t.Fatalf("abs, 1 knot: at %v, mse %v; want at 0.5, ~0", abs.Knots, abs.MSE)
	}
	if lnRule := ReferenceFitFor(1); lnRule.MSE < 1e-3 {
		t.Fatalf("ln's rule fits |x − 0.5| too? %v", lnRule)
	}
	for _, c := range [][2]string{{"sin", "0:1"}, {"exp", "2:5"}, {"sin(6*x) + x^2", "-1:1"}, {"sqrt", "0:4"}} {
		tr := trainerOn(t, c[0], c[1])
		for _, k := range []int{3, 8, 20} {
			r := tr.referenceFit(k)
			even := make([]float64, k)
			for j := range even {
				even[j] = tr.gridX[0] + (tr.gridX[GridPoints-1]-tr.gridX[0])*float64(j+1)/float64(k+1)
			}
			ev := fitWith(tr.gridX, tr.gridY, snapKnots(dataGaps(tr.gridX), even))
			if r.Kinks != k || r.On != RefOnGrid || !(r.MSE <= 1.02*ev.MSE) {
				t.Errorf("%s on %s, k=%d: %d knots on %s, mse %.3g; evenly spaced %.3g", c[0], c[1], k, r.Kinks, r.On, r.MSE, ev.MSE)
			}
		}
	}
}

// On points the reference fits the points: with no knot it is their
// least-squares line, worked out here directly.
func TestReferenceFitOnThePoints(t *testing.T) {
	ps, err := ParsePoints([]byte("0.1,0.2\n0.3,0.5\n0.5,0.4\n0.7,0.9\n0.9,0.3\n0.9,0.5\n"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	ps.Use(&cfg)
	tr := mustNew(t, cfg)
	r := tr.referenceFit(0)
	n := float64(len(ps.X))
	var sx, sy, sxx, sxy float64
	for i, x := range ps.X {
		sx, sy, sxx, sxy = sx+x, sy+ps.Y[i], sxx+x*x, sxy+x*ps.Y[i]
	}
	b := (n*sxy - sx*sy) / (n*sxx - sx*sx)
	a := (sy - b*sx) / n
	var sse float64
	for i, x := range ps.X {
		d := a + b*x - ps.Y[i]
		sse += d * d
	}
	if want := sse / n; r.On != RefOnPoints || math.Abs(r.MSE-want) > 1e-12 {
		t.Fatalf("0 knots on the points: mse %v on %s, the least-squares line's %v", r.MSE, r.On, want)
	}
	// More knots than the points can take: as many as leave two points at each end
	// (three here: the two at x = 0.9 are the last piece's).
	if r := tr.referenceFit(50); r.Kinks != 3 || math.IsNaN(r.MSE) || r.MSE > tr.referenceFit(0).MSE {
		t.Fatalf("50 knots asked on 6 points: %d kept, mse %v", r.Kinks, r.MSE)
	}
}
