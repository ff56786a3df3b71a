package runner

import (
	"strings"
	"testing"

	"lnfit/engine"
)

// until diverging stops a lesson while the loss is still finite and
// growing — the divergent preset overflows at step 162 — so the caption
// after it can show the growth; a healthy run is never stopped by it, and
// a budget of any size stops at the same step.
func TestUntilDiverging(t *testing.T) {
	l, err := ParseLesson("t", "preset divergent\nuntil diverging max 1000\nexpect diverging\nsay diverging at step {step}\nrun 1000\nsay after")
	if err != nil {
		t.Fatal(err)
	}
	var at int64
	for _, b := range []Budget{{}, {Steps: 1}, {Steps: 37}} {
		r := play(t, l, b)
		if len(r.Captions) < 1 || r.Captions[0].Missed != "" || !strings.HasPrefix(r.Captions[0].Text, "diverging at step ") {
			t.Fatalf("budget %+v: captions %+v", b, r.Captions)
		}
		step := r.Captions[0].Step
		if step < int64(engine.DivergingSteps) || step >= 162 || at != 0 && step != at {
			t.Fatalf("budget %+v: stopped at step %d (at %d with another budget; the run overflows at 162)", b, step, at)
		}
		at = step
		t.Logf("budget %+v: %s", b, r.Captions[0].Text)
	}
	healthy, err := ParseLesson("t", "preset answer\nuntil diverging max 3000\nsay {step}")
	if err != nil {
		t.Fatal(err)
	}
	if r := play(t, healthy, Budget{}); r.Caption != "3,000" {
		t.Fatalf("a healthy run under until diverging stopped with caption %q", r.Caption)
	}
}
