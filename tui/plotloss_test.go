package tui

import (
	"math"
	"strings"
	"testing"
)

// The log step axis labels every decade that fits (a 749,405-step run at
// 80×24 stopped at 10k, with room for 100k): xAxis draws every label
// logStepTicks gives, each over its own tick's column, one space apart; a
// decade is left out only where its label cannot cover its column after the
// one before it; the last step is labelled when it fits after them. From
// the 80×24 plot's width on, every decade of a run to 10^7 steps fits.
func TestLogStepAxisLabelsEveryDecadeThatFits(t *testing.T) {
	for _, w := range []int{28, 38, 46, 98} {
		cols := plotColumns(w)
		for _, last := range []int64{9, 300, 12_000, 749_405, 1_723_295, 100_000_000, 4_321_000_000} {
			ticks := logStepTicks(1, last, cols)
			axis := []rune(xAxis(cols, ticks, "log step"))
			span := math.Log(float64(last))
			end := -1 // the column after the last label drawn
			decades, prev := 0, int64(1)
			for i, tk := range ticks {
				n := len([]rune(tk.label))
				start := int(math.Round(tk.at*float64(cols-1))) - n/2
				if got := string(axis[labelWidth+2+start : min(labelWidth+2+start+n, len(axis))]); got != tk.label {
					t.Fatalf("w %d, last %d: %q is not drawn at column %d: %q", w, last, tk.label, start, string(axis))
				}
				if start <= end {
					t.Fatalf("w %d, last %d: %q runs into the label before it: %q", w, last, tk.label, string(axis))
				}
				end = start + n
				if i == 0 || i == len(ticks)-1 && tk.label == shortSteps(last) {
					continue
				}
				p := int64(10)
				for p < last && shortSteps(p) != tk.label {
					p *= 10
				}
				if c := int(math.Round(math.Log(float64(p)) / span * float64(cols-1))); p >= last || p <= prev || c < start || c >= start+n {
					t.Fatalf("w %d, last %d: %q at columns %d–%d is no decade's after %d: %q", w, last, tk.label, start, end-1, prev, string(axis))
				}
				prev = p
				decades++
			}
			if want := int(math.Log10(float64(last - 1))); (w >= 46 && last < 1e9 || w >= 38 && last < 1e7) && decades != want {
				t.Errorf("w %d, last %d: %d decades labelled of %d: %q", w, last, decades, want, string(axis))
			}
		}
	}
	if axis := xAxis(plotColumns(38), logStepTicks(1, 749_405, plotColumns(38)), "log step"); !strings.Contains(axis, " 100k") {
		t.Fatalf("the 749,405-step run's axis at 80×24: %q", axis)
	}
}
