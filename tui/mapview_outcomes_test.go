package tui

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"

	"lnfit/engine"
	"lnfit/engine/collapse"
)

// A cell whose runs ran out of steps with the loss still exploding is
// drawn diverging (its own glyph, in the legend), not learning; its text
// lists the outcomes its runs had, most common first, and a map that is
// all diverging has no MSE map (its runs have no MSE to shade).
func TestDivergingCellsHaveTheirOwnGlyph(t *testing.T) {
	m := handMap(t, "lr=1:2:2,init-scale=1:1:1", 4, engine.DefaultConfig(), func(x, y int) collapse.Cell {
		var c collapse.Cell
		c.MedianMSE = math.NaN()
		c.Counts[collapse.Diverging], c.Counts[collapse.Learning] = 3-x*3, 1+x*3
		return c
	})
	v := RenderMap(m, "t", 100, NewMapStyle(colorprofile.NoTTY))
	g := outcomeGlyphs[collapse.Diverging]
	for _, want := range []string{" " + g + "3 ", g + " diverging", " ~4 "} {
		if !strings.Contains(v, want) {
			t.Fatalf("the map lacks %q:\n%s", want, v)
		}
	}
	for o, name := range collapse.OutcomeNames { // every outcome has a glyph of its own in the legend
		for p := range o {
			if outcomeGlyphs[p] == outcomeGlyphs[o] {
				t.Fatalf("%s and %s share the glyph %s", collapse.OutcomeNames[p], name, outcomeGlyphs[o])
			}
		}
		if !strings.Contains(v, outcomeGlyphs[o]+" "+name) {
			t.Fatalf("the legend lacks %s:\n%s", name, v)
		}
	}
	if got := CellText(m, 0, 0); !strings.Contains(got, "4 runs — 3 diverging, 1 learning · median mse x≥0.01 —") {
		t.Fatalf("cell text %q", got)
	}
	all := handMap(t, "lr=1:2:2,init-scale=1:1:1", 2, engine.DefaultConfig(), func(x, y int) collapse.Cell {
		var c collapse.Cell
		c.MedianMSE = math.NaN()
		c.Counts[collapse.Diverging] = 2
		return c
	})
	if v := RenderMap(all, "t", 100, NewMapStyle(colorprofile.NoTTY)); strings.Contains(v, "Every cell") {
		t.Fatalf("an all-diverging map drew the MSE map:\n%s", v)
	}
}
