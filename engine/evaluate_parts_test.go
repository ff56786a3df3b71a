package engine

import (
	"math"
	"reflect"
	"testing"
)

// Evaluated whole, in parts, the grid gives the very numbers Metrics gives.
func TestMetricsInPartsWholeEqualsMetrics(t *testing.T) {
	for _, c := range []struct {
		act, opt string
		steps    int
	}{{"relu", "sgd", 0}, {"relu", "sgd", 3}, {"tanh", "adam", 40}, {"sigmoid", "sgd", 5}, {"leaky-relu", "momentum", 20}} {
		cfg := DefaultConfig()
		cfg.Activation, cfg.Optimizer, cfg.Hidden = c.act, c.opt, []int{13, 7}
		tr := mustNew(t, cfg)
		tr.Run(c.steps)
		want := tr.Metrics()
		got, points := tr.MetricsInParts(nil)
		if points != GridPoints {
			t.Fatalf("%v: %d points, want %d", c, points, GridPoints)
		}
		if !reflect.DeepEqual(got, want) && !sameMetrics(got, want) {
			t.Fatalf("%v: in parts %+v\nwhole %+v", c, got, want)
		}
	}
}

// sameMetrics compares bit for bit, NaN equal to NaN (DeepEqual says NaN ≠ NaN).
func sameMetrics(a, b Metrics) bool {
	f := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
	return f(a.Loss, b.Loss) && f(a.MSE, b.MSE) && f(a.MSEAbove001, b.MSEAbove001) && f(a.Spread, b.Spread) &&
		f(a.MeanPred, b.MeanPred) && reflect.DeepEqual(a.Dead, b.Dead) && reflect.DeepEqual(a.Saturated, b.Saturated) &&
		reflect.DeepEqual(a.Units, b.Units) && f(a.GradNorm, b.GradNorm)
}

// Cut short, the figures are over the points evaluated (an even spread of
// (0,1]) and the unit counts, which need every point, are left out.
func TestMetricsInPartsCutShort(t *testing.T) {
	tr := mustNew(t, DefaultConfig())
	tr.Run(2)
	asked := 0
	m, points := tr.MetricsInParts(func() bool { asked++; return asked > 3 })
	if points != 4*gridPartPoints {
		t.Fatalf("%d points after 4 parts, want %d", points, 4*gridPartPoints)
	}
	if m.Dead != nil || m.Saturated != nil || len(m.Units) != 2 {
		t.Fatalf("dead %v saturated %v units %v: counts from a sample", m.Dead, m.Saturated, m.Units)
	}
	// The sample's mean squared error, computed here from Predict.
	var sse float64
	for _, i := range gridOrder[:points] {
		x := (float64(i) + 0.5) / GridPoints
		d := tr.net.Predict([]float64{x})[0] - math.Log(x)
		sse += d * d
	}
	if want := sse / float64(points); math.Abs(m.MSE-want) > 1e-9*math.Abs(want) {
		t.Fatalf("mse %v on the sample, want %v", m.MSE, want)
	}
	// The first part alone is never skipped, whatever stop says.
	if _, n := tr.MetricsInParts(func() bool { return true }); n != gridPartPoints {
		t.Fatalf("%d points with stop always true, want the first part (%d)", n, gridPartPoints)
	}
}

// Every prefix of the order is spread over (0,1]: the first 32 points
// leave no gap wider than 1/16 of the interval.
func TestGridOrderIsAnEvenSpread(t *testing.T) {
	seen := make([]bool, GridPoints)
	for _, i := range gridOrder {
		if seen[i] {
			t.Fatalf("point %d twice", i)
		}
		seen[i] = true
	}
	if len(gridOrder) != GridPoints {
		t.Fatalf("%d points, want %d", len(gridOrder), GridPoints)
	}
	prefix := append([]int(nil), gridOrder[:32]...)
	last := -1
	for i := 0; i < GridPoints; i++ {
		for _, p := range prefix {
			if p == i {
				if i-last > GridPoints/16 {
					t.Fatalf("gap %d…%d in the first 32 points %v", last, i, prefix)
				}
				last = i
			}
		}
	}
	if GridPoints-last > GridPoints/16 {
		t.Fatalf("gap after %d in the first 32 points", last)
	}
}
