package tui

import (
	"fmt"
	"strconv"
	"strings"

	"lnfit/engine"
)

// The fit plot's kink row (issue 21): under the x axis, one glyph per
// first-layer kink in (0,1] aligned with the plot's data columns, and its
// legend. On by default where the body has room; K turns it off.

// kinkLevel is how much of the kink row a plot gets.
type kinkLevel int

const (
	kinksNone    kinkLevel = iota
	kinksCompact           // the row and one short count
	kinksFull              // the row and the whole legend
)

// Plot rows the fit keeps before the kink row gives way: with the whole
// legend, with the short count (the classroom's projector layout keeps the
// row on down to a smaller plot).
const (
	kinkFullRows    = 8
	kinkCompactRows = 6
	kinkClassRows   = 4
)

// fitWithKinks is plotFit with the picked lane's kink row spliced in under
// the x axis, at the level the room's height leaves space for.
func (r *plotsRoom) fitWithKinks(f *frame, w, plotH int, st styles) plotted {
	p := plotFit(f.snaps, w, plotH, st, f.rot)
	rep, _ := f.units.lane()
	if r.kinksOff || rep == nil || !rep.Linear || len(p.footer) == 0 || plotColumns(w) < 2 { // tanh, sigmoid: no kinks to mark
		return p
	}
	base := len(p.footer)
	left := func(extra []string) int { return r.h - 3 - (base + len(extra)) } // the plot's rows with them
	extra := kinkFooter(f, w, kinksFull, st)
	if left(extra) < kinkFullRows {
		extra = kinkFooter(f, w, kinksCompact, st)
		if left(extra) < kinkCompactRows && !(st.projector && left(extra) >= kinkClassRows) {
			return p
		}
	}
	foot := append([]string{p.footer[0]}, extra...)
	p.footer = append(foot, p.footer[1:]...)
	return p
}

// kinkFooter is the kink row and its legend at a level, each line at most w cells.
func kinkFooter(f *frame, w int, lv kinkLevel, st styles) []string {
	rep, name := f.units.lane()
	if rep == nil || lv == kinksNone {
		return nil
	}
	label := "kinks"
	if name != "" {
		label += " " + name[:1] // the lane's letter: "kinks A"
	}
	cols := plotColumns(w)
	row := kinkRow(rep, cols, st)
	if notes := kinkNone(rep); len(notes) > 0 {
		row = "" // an empty row would say nothing: where the kinks are instead, as long as fits
		for _, n := range notes {
			if cells(n) <= cols {
				row = n
				break
			}
		}
	}
	lines := []string{strings.TrimRight(fmt.Sprintf("%*s  ", labelWidth, label)+row, " ")}
	items := kinkLegend(rep)
	if lv == kinksCompact && rep.Linear && len(rep.Layers) > 0 {
		items = []string{fmt.Sprintf("kinks in %s: %d of %d · %d dead", reportDomain(rep), rep.InDomain(0), len(rep.Layers[0]), rep.Dead(0))}
	}
	var words []string // an item wider than the plot is broken at its spaces, never cut
	for _, it := range items {
		if cells(it) <= w {
			words = append(words, it)
			continue
		}
		words = append(words, wrapWords(it, w, 3)...)
	}
	for _, l := range wrapLegend(words, w) {
		lines = append(lines, st.Dim.Render(l))
	}
	return lines
}

// kinkNone says where the first layer's kinks are when none is in the domain
// (nil when some are), longest first: at the question's step 0 every one
// is left of 0.
func kinkNone(r *engine.UnitReport) []string {
	if !r.Linear || len(r.Layers) == 0 || r.NetKinks > 0 {
		return nil
	}
	lo, hi := 0.0, 1.0
	if r.Hi > r.Lo {
		lo, hi = r.Lo, r.Hi
	}
	left, right := 0, 0
	for _, u := range r.Layers[0] {
		switch {
		case u.Hinge <= lo:
			left++
		case u.Hinge > hi:
			right++
		}
	}
	a, b := strconv.FormatFloat(lo, 'g', 4, 64), strconv.FormatFloat(hi, 'g', 4, 64)
	short := fmt.Sprintf("none: %d left of %s", left, a)
	if right > 0 {
		short += fmt.Sprintf(", %d right of %s", right, b)
	}
	return []string{fmt.Sprintf("none in %s: %d left of %s, %d right of %s", reportDomain(r), left, a, right, b),
		fmt.Sprintf("none: %d left of %s, %d right of %s", left, a, right, b), short, fmt.Sprintf("none: %d < %s, %d > %s", left, a, right, b)}
}
