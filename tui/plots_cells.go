package tui

import (
	"math"
	"strings"
)

// Marks put into a drawn plot after asciigraph: the both mark and the
// user's points (plots_target.go), on the rows asciigraph puts values.

// markBoth puts bothGlyph where target and pred fall in the same cell,
// with asciigraph's own rounding of values to rows.
func markBoth(graph string, target, pred []float64, height int, lo, hi float64) string {
	g := newCells(graph, height, lo, hi)
	for c := range target {
		if math.IsNaN(target[c]) || math.IsNaN(pred[c]) {
			continue
		}
		if li := g.line(target[c]); li == g.line(pred[c]) {
			g.set(li, c, bothGlyph)
		}
	}
	return g.String()
}

// plotCells is a drawn plot's lines as runes, with asciigraph's own rounding
// of a value to its line, so marks land on the rows the series are on.
type plotCells struct {
	lines         [][]rune
	ratio, minRow float64
	rows          int
	pad           bool // set may mark past a line's end (a dot where no series is drawn)
}

func newCells(graph string, height int, lo, hi float64) plotCells {
	g := plotCells{ratio: float64(height) / (hi - lo)}
	g.minRow = math.Round(lo * g.ratio)
	g.rows = int(math.Abs(math.Round(hi*g.ratio) - g.minRow))
	for _, l := range strings.Split(graph, "\n") {
		g.lines = append(g.lines, []rune(l))
	}
	return g
}

// line is the line index v is drawn on.
func (g plotCells) line(v float64) int { return g.rows - int(math.Round(v*g.ratio)-g.minRow) }

// set puts mark in data column c of line li, if both exist.
func (g plotCells) set(li, c int, mark rune) {
	if li < 0 || li >= len(g.lines) {
		return
	}
	r := g.lines[li]
	axis := axisIndex(r)
	if axis < 0 || c < 0 {
		return
	}
	for g.pad && len(r) <= axis+1+c { // asciigraph leaves a line's trailing blanks off
		r = append(r, ' ')
	}
	if axis+1+c >= len(r) {
		return
	}
	r[axis+1+c] = mark
	g.lines[li] = r
}

func (g plotCells) String() string {
	out := make([]string, len(g.lines))
	for i, r := range g.lines {
		out[i] = string(r)
	}
	return strings.Join(out, "\n")
}
