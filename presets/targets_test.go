package presets

import (
	"math"
	"slices"
	"strings"
	"testing"

	"lnfit/engine"
)

// The target presets' claims, on seeds 1–5 (issue 24). The --until runs of
// the headless command check every 1000 steps, and so does this.
func TestTargetPresetsAreTrue(t *testing.T) {
	run := func(name string, seed uint64, until float64, cap int) (*engine.Trainer, int) {
		p, err := Get(name)
		if err != nil {
			t.Fatal(err)
		}
		p.Config.Seed = seed
		tr, err := engine.New(p.Config)
		if err != nil {
			t.Fatal(err)
		}
		for tr.Step() < int64(cap) {
			tr.Run(1000)
			if tr.Metrics().MSEAbove001 < until {
				break
			}
		}
		return tr, int(tr.Step())
	}
	within1e3 := 0
	var squareAt []int
	for seed := uint64(1); seed <= 5; seed++ {
		tr, _ := run("sin-question", seed, 0, 2000)
		if d := tr.Diagnose(); !strings.HasPrefix(d.Text, "collapsed to the mean of the target (≈ 0.00)") &&
			!strings.HasPrefix(d.Text, "collapsed to the mean of the target (≈ -0.00)") {
			t.Errorf("sin-question seed %d: %s", seed, d.Text)
		}
		if testing.Short() {
			continue
		}
		_, at := run("square-answer", seed, 1e-4, 48_000)
		if at < 4000 || at > 48_000 {
			t.Errorf("square-answer seed %d: mse < 1e-4 at step %d, want 4–48k", seed, at)
		}
		squareAt = append(squareAt, at)
		tr, at = run("abs-kink", seed, 1e-5, 5000)
		if at < 3000 || at > 5000 || tr.Metrics().MSE >= 1e-5 {
			t.Errorf("abs-kink seed %d: mse %.3g at step %d, want < 1e-5 in 3–5k", seed, tr.Metrics().MSE, at)
		}
		near := math.Inf(1)
		for _, k := range tr.Units(0).Kinks[0] {
			near = math.Min(near, math.Abs(k-0.5))
		}
		if near > 0.011 {
			t.Errorf("abs-kink seed %d: nearest first-layer kink %.4f from 0.5", seed, near)
		}
		if near <= 0.001 {
			within1e3++
		}
	}
	if slices.Sort(squareAt); !testing.Short() && squareAt[2] > 9000 {
		t.Errorf("square-answer: median %d steps over seeds 1–5 (%v), want ≤ 9k", squareAt[2], squareAt)
	}
	if !testing.Short() && within1e3 < 4 {
		t.Errorf("abs-kink: a kink within 0.001 of 0.5 on %d of 5 seeds, want 4", within1e3)
	}
}
