package engine

import (
	"strconv"
	"strings"
	"testing"
)

// The divergent preset's run (SGD lr 5 from the answer's init) is called
// diverging while its loss is still finite, and from then on never anything
// that points away from lowering the lr.
func TestDivergingCaughtAsItGrows(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Init, cfg.LR = InitNormal, 5
	tr := mustNew(t, cfg)
	first := int64(0)
	for i := 0; i < 400 && !tr.rec.diverged; i++ {
		tr.Run(1)
		d := tr.Diagnose()
		if d.Status == StatusDiverged {
			break
		}
		if first == 0 && d.Status == StatusDiverging {
			first = tr.rec.step
			if !strings.Contains(d.Text, "for 5 steps") || len(d.Advice) != 1 || d.Advice[0] != "-" {
				t.Fatalf("step %d: %q advice %v", first, d.Text, d.Advice)
			}
		}
		if first > 0 && d.Status != StatusDiverging {
			t.Fatalf("step %d, diverging since %d: now %v %q", tr.rec.step, first, d.Status, d.Text)
		}
	}
	t.Logf("diverging at %d, diverged at %d", first, tr.rec.divergedAt)
	if first == 0 || !tr.rec.diverged || first >= tr.rec.divergedAt-50 {
		t.Fatalf("diverging first at step %d, diverged (NaN/Inf) at %d: not caught as it grew", first, tr.rec.divergedAt)
	}
}

// Healthy runs, noisy ones included (batch 1), are never called diverging.
func TestHealthyRunsAreNotDiverging(t *testing.T) {
	for _, c := range []struct {
		init, opt string
		lr        float64
		batch     int
	}{{InitUniform, OptSGD, 0.01, 50}, {InitNormal, OptAdam, 0.001, 1}, {InitNormal, OptSGD, 0.01, 1}} {
		cfg := DefaultConfig()
		cfg.Init, cfg.Optimizer, cfg.LR, cfg.Batch = c.init, c.opt, c.lr, c.batch
		tr := mustNew(t, cfg)
		for i := 0; i < 3000; i++ {
			tr.Run(1)
			if d := tr.Diagnose(); d.Status == StatusDiverging || d.Status == StatusDiverged {
				t.Fatalf("%+v step %d: %q", c, tr.rec.step, d.Text)
			}
		}
	}
}

// A figure printed beside a threshold is on the threshold's side as printed.
func TestAgreeWithThreshold(t *testing.T) {
	for _, c := range []struct {
		v, th float64
		below bool
	}{{9.996e-5, 1e-4, true}, {9.9999999e-5, 1e-4, true}, {1.0004e-4, 1e-4, false}, {1.9999, 2, true}, {2, 2, false}, {0.0499, 0.05, true}} {
		s := agree(c.v, c.th, c.below)
		p, err := strconv.ParseFloat(s, 64)
		if err != nil || (p < c.th) != c.below {
			t.Errorf("agree(%g, %g, %v) = %q", c.v, c.th, c.below, s)
		}
	}
}

// Before a step, the verdict says what the net predicts: a range when it
// is not flat (the question's init spans about 1.9), from the grid itself.
func TestUntrainedSaysTheRange(t *testing.T) {
	tr := mustNew(t, DefaultConfig())
	s := tr.Snapshot()
	lo, hi := s.Pred[0], s.Pred[0]
	for _, p := range s.Pred {
		lo, hi = min(lo, p), max(hi, p)
	}
	d := Diagnose(s)
	want := "net(x) runs from " + signed(lo) + " to " + signed(hi)
	if hi-lo < CollapsedSpread || !strings.Contains(d.Text, want) {
		t.Fatalf("spread %.3g: %q, want %q", hi-lo, d.Text, want)
	}
	cfg := DefaultConfig()
	cfg.InitScale = 1e-6 // flat to the eye
	d = Diagnose(mustNew(t, cfg).Snapshot())
	if !strings.Contains(d.Text, "net(x) ≈ ") {
		t.Fatalf("flat init: %q", d.Text)
	}
}
