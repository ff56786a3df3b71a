package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"lnfit/engine"
)

// What the dashboard shows of the units inside the net: a kink row under the
// fit plot and the units room. Everything here is a pure function of plain
// data (a unitsFrame), so a room component can call it from its View.

// unitsFrame is the units' part of a frame: what a units room (and the fit
// plot's kink row) needs. Fill it once per refresh, where the frame's
// snapshots are taken:
//
//	for i, l := range s.Lanes() { f.units.Lanes = append(f.units.Lanes, l.Units(engine.DefaultPlotPoints)) }
//
// (only while the units room or the kink row is on: it costs about a grid
// forward and backward pass per lane).
type unitsFrame struct {
	Lanes []engine.UnitReport // one per lane, from Trainer.Units(engine.DefaultPlotPoints)
	Names []string            // each lane's name for the title ("A sgd"); nil or "" for a single run
	Sel   int                 // the picked lane (tab)
}

// newUnitsFrame fills a unitsFrame from a session's lanes (refresh's
// s.Lanes() and m.sel): a race's lanes are named as the plots' legends name
// them ("A sgd").
func newUnitsFrame(lanes []*engine.Trainer, sel int) unitsFrame {
	f := unitsFrame{Sel: sel}
	for i, l := range lanes {
		f.Lanes = append(f.Lanes, l.Units(engine.DefaultPlotPoints))
		if len(lanes) > 1 {
			f.Names = append(f.Names, fmt.Sprintf("%c %s", 'A'+i, l.Config().Optimizer))
		}
	}
	return f
}

// lane is the picked lane's report, nil when there is none.
func (f *unitsFrame) lane() (*engine.UnitReport, string) {
	if len(f.Lanes) == 0 {
		return nil, ""
	}
	i := max(0, min(f.Sel, len(f.Lanes)-1))
	name := ""
	if i < len(f.Names) {
		name = f.Names[i]
	}
	return &f.Lanes[i], name
}

// The glyphs, distinct without colour.
const (
	uGlyphRight  = '╱' // a hinge live right of its kink (w > 0)
	uGlyphLeft   = '╲' // live left of it (w < 0)
	uGlyphBoth   = '━' // live on all of (0,1] (its kink is outside)
	uGlyphMiddle = '∧' // a deeper unit live only between kinks
	uGlyphNone   = '·' // live nowhere, but not dead on the grid (a sliver between grid points)
	uGlyphDead   = '×' // zero on every grid point
	uGlyphSmooth = '~' // tanh, sigmoid
	uGlyphDeep   = '◦' // a second- (or deeper-) layer kink in the kink row
)

func unitGlyph(u *engine.Unit) rune {
	if u.Dead {
		return uGlyphDead
	}
	switch u.Live {
	case engine.SideRight:
		return uGlyphRight
	case engine.SideLeft:
		return uGlyphLeft
	case engine.SideBoth:
		return uGlyphBoth
	case engine.SideMiddle:
		return uGlyphMiddle
	case engine.SideSmooth:
		return uGlyphSmooth
	}
	return uGlyphNone
}

// kinkRow is one line of exactly cols cells, cell c covering the c-th of
// cols equal parts of the fit plot's domain ([c/cols, (c+1)/cols) on (0,1]): the first layer's kinks as
// ╱ or ╲ (which side is live) or × (dead), a digit where 2–9 share a cell
// (+ for more), and deeper layers' kinks as ◦ where no first-layer kink is.
// Dead marks are dimmed. The caller puts it under the plot's data columns.
func kinkRow(r *engine.UnitReport, cols int, st styles) string {
	if cols < 1 {
		return ""
	}
	lo, span := 0.0, 1.0
	if r != nil && r.Hi > r.Lo {
		lo, span = r.Lo, r.Hi-r.Lo // the fit plot's domain: x·cols on (0,1], as before
	}
	cell := func(x float64) int { return max(0, min(int((x-lo)/span*float64(cols)), cols-1)) }
	first := make([]rune, cols)
	count := make([]int, cols)
	dead := make([]bool, cols)
	if r != nil && len(r.Layers) > 0 {
		for i := range r.Layers[0] {
			u := &r.Layers[0][i]
			if len(u.Kinks) == 0 {
				continue
			}
			c := cell(u.Kinks[0])
			if count[c] == 0 {
				first[c], dead[c] = unitGlyph(u), u.Dead
			} else {
				dead[c] = dead[c] && u.Dead
			}
			count[c]++
		}
	}
	deep := make([]bool, cols)
	if r != nil {
		for l := 1; l < len(r.Kinks); l++ {
			for _, x := range r.Kinks[l] {
				deep[cell(x)] = true
			}
		}
	}
	var b strings.Builder
	for c := range cols {
		switch {
		case count[c] == 1 && dead[c]:
			b.WriteString(st.Dim.Render(string(first[c])))
		case count[c] == 1:
			b.WriteRune(first[c])
		case count[c] > 9:
			b.WriteByte('+')
		case count[c] > 1:
			b.WriteByte(byte('0' + count[c]))
		case deep[c]:
			b.WriteRune(uGlyphDeep)
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// reportDomain is the units report's domain as the texts write it: "(0,1]".
func reportDomain(r *engine.UnitReport) string {
	if !(r.Hi > r.Lo) {
		return "(0,1]" // a report from before domains
	}
	open := "(" // the sampler's open end; a points run's smallest x is a point
	if r.Closed {
		open = "["
	}
	return open + strconv.FormatFloat(r.Lo, 'g', 4, 64) + "," + strconv.FormatFloat(r.Hi, 'g', 4, 64) + "]"
}

// kinkLegend is the kink row's legend items: the count ("kinks in (0,1]: 12
// of 50 units; 38 dead"), the deeper layers' kinks, and the reference fit.
func kinkLegend(r *engine.UnitReport) []string {
	if r == nil || len(r.Layers) == 0 {
		return nil
	}
	if !r.Linear {
		return []string{r.Activation + " units are smooth: no kinks"}
	}
	items := []string{fmt.Sprintf("kinks in %s: %d of %d units; %d dead", reportDomain(r), r.InDomain(0), len(r.Layers[0]), r.Dead(0))}
	deep := 0
	for l := 1; l < len(r.Kinks); l++ {
		deep += len(r.Kinks[l])
	}
	if len(r.Layers) > 1 {
		items = append(items, fmt.Sprintf("%c layer 2+: %d", uGlyphDeep, deep))
	}
	items = append(items, fmt.Sprintf("%c%c live right/left, 2–9 units in a column", uGlyphRight, uGlyphLeft),
		fmt.Sprintf("best %d-kink line %s, net %s", r.Reference.Kinks, unitsValue(r.Reference.MSE), unitsValue(r.MSE)))
	return items
}

// unitsValue writes a figure in at most 8 cells: 3 significant digits.
func unitsValue(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 0):
		return engine.FormatValue(v)
	case v == 0:
		return "0"
	case math.Abs(v) < 1e-3 || math.Abs(v) >= 1e5:
		return strconv.FormatFloat(v, 'e', 1, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// unitsKinkText writes a kink position in at most 7 cells ("—" for none).
func unitsKinkText(x float64) string {
	switch {
	case math.IsNaN(x):
		return "—"
	case math.IsInf(x, 0):
		return engine.FormatValue(x)
	case x != 0 && (math.Abs(x) < 1e-3 || math.Abs(x) >= 1e4):
		return strconv.FormatFloat(x, 'e', 0, 64)
	}
	return strconv.FormatFloat(x, 'g', 3, 64)
}

// unitsDiedText says when a dead unit died, as the record has it.
func unitsDiedText(u *engine.Unit) string {
	switch {
	case !u.Dead:
		return ""
	case u.DiedAt < 0:
		return "dead"
	case u.DiedAt == 0:
		return "dead at init"
	case u.DiedExact:
		return "died " + engine.Commas(u.DiedAt)
	}
	return "died ≤" + engine.Commas(u.DiedAt)
}

// unitSpark draws out (sampled over (0,1]) in w cells, rows high (1 or 2):
// each cell is the largest value its samples reach, scaled from 0 (or the
// lowest value, if below 0) to the unit's largest. Zero is blank, so a hinge
// shows where it is off; a dead unit is a row of dots.
func unitSpark(out []float64, w, rows int, dead bool) []string {
	lines := make([]string, rows)
	if w < 1 {
		return lines
	}
	if dead || len(out) == 0 {
		for i := range lines {
			lines[i] = strings.Repeat(" ", w)
		}
		lines[rows-1] = strings.Repeat(string(uGlyphNone), w)
		return lines
	}
	lo, hi := 0.0, math.Inf(-1)
	for _, v := range out { // comparisons, not math.Min/Max: NaN is skipped anyway, and this is the room's hot loop
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	levels := 8 * rows
	cells := make([]int, w)
	for c := range cells {
		a, b := c*len(out)/w, max((c+1)*len(out)/w, c*len(out)/w+1)
		top := math.Inf(-1)
		for _, v := range out[a:min(b, len(out))] {
			if v > top {
				top = v
			}
		}
		if hi > lo && top > lo && !math.IsInf(top, 0) {
			cells[c] = max(1, min(levels, int(math.Ceil((top-lo)/(hi-lo)*float64(levels)))))
		}
	}
	const ramp = " ▁▂▃▄▅▆▇█"
	runes := []rune(ramp)
	for row := range rows {
		base := 8 * (rows - 1 - row) // the levels below this row
		var b strings.Builder
		for _, lv := range cells {
			b.WriteRune(runes[max(0, min(8, lv-base))])
		}
		lines[row] = b.String()
	}
	return lines
}
