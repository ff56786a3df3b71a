package tui

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"lnfit/engine"
)

// The fit plot's y axis has the most rows a unit that still hold ln's
// lowest column, at every height, so it ends close under it: at 200×60 a step of 0.2 had run it down to −8, 13 rows of
// nothing under ln's −5.3 (issue 24's trial). Its labels stay whole and
// half values, −1 among them.
func TestFitRangeEndsNearLnsLowest(t *testing.T) {
	for _, w := range []int{36, 96} {
		lowest := math.Log(0.5 / float64(plotColumns(w)))
		for h := 8; h <= 60; h++ {
			lo, hi, rows := fitRange(lowest, h)
			k := math.Round(float64(rows) / (hi - lo)) // rows a unit
			finer := hi - float64(rows)/(k+1)          // the range one more row a unit would give
			if lo > lowest-0.2 || finer <= lowest-0.2 || hi != 1 || rows != h-1 {
				t.Errorf("w %d h %d: range [%g, %g] in %d rows for ln down to %.2f", w, h, lo, hi, rows, lowest)
			}
		}
	}
	// As drawn at the size of a 200×60 screen's fit panel.
	s := engine.Snapshot{}
	for i := 0; i < engine.GridPoints; i++ {
		x := (float64(i) + 0.5) / engine.GridPoints
		s.GridX, s.Target, s.Pred = append(s.GridX, x), append(s.Target, math.Log(x)), append(s.Pred, -1)
	}
	graph := plotFit([]engine.Snapshot{s}, 96, 47, newStyles(0), 0).graph
	lines := strings.Split(graph, "\n")
	lastDot, labels := -1, map[string]bool{}
	for n, l := range lines {
		i := strings.IndexAny(l, "┤┼")
		if i < 0 {
			continue
		}
		if label := strings.TrimSpace(l[:i]); label != "" {
			v, err := strconv.ParseFloat(label, 64)
			if err != nil || v*2 != math.Round(v*2) {
				t.Errorf("row %d labelled %q: not a whole or half value", n, label)
			}
			labels[label] = true
		}
		if strings.Contains(l[i:], "·") {
			lastDot = n
		}
	}
	lo, _, rows := fitRange(s.Target[0], 47)
	perUnit := float64(rows) / (1 - lo)
	if empty := rows - lastDot; float64(empty) >= perUnit || !labels["-1"] || !labels["0"] || !labels["-5"] {
		t.Errorf("%d empty rows under ln's lowest (a unit is %.0f rows), labels %v:\n%s", empty, perUnit, labels, graph)
	}
}

// Another target's axis holds it and is centred on it: sin(6x)+x² on
// (-1,1] (about -0.9 to 1.7) was drawn in [-4, 2] at 80×24, three rows of
// nothing under it (issue 24's trial, [5]).
func TestTargetSpanIsCentredOnTheTarget(t *testing.T) {
	cols := plotColumns(36)
	var v []float64
	for c := 0; c < cols; c++ {
		x := -1 + 2*(float64(c)+0.5)/float64(cols)
		v = append(v, math.Sin(6*x)+x*x)
	}
	tmin, tmax := extent(v)
	for h := 5; h <= 40; h++ {
		lo, hi, rows := targetSpan(v, h, false)
		half := (hi - lo) / 2
		if lo > tmin || hi < tmax || tmin-lo >= half || hi-tmax >= half || rows != h-1 {
			t.Errorf("h %d: range [%g, %g] in %d rows for a target in [%.2f, %.2f]", h, lo, hi, rows, tmin, tmax)
		}
	}
}
