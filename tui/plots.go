package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/guptarohit/asciigraph"

	"lnfit/engine"
)

// asciigraph panics on an empty series and widens (never narrows) its y
// bounds to the data. Everything here hands it clean data: finite values
// clamped into [lo, hi], NaN only as a gap, and bounds passed explicitly so
// the axis is exactly [lo, hi].

// fitRange picks the fit plot's y range: from 1 at the top down to just
// below the lowest ln(x) the plot's columns reach (ln of the first column's
// x), and how many of the h−1 rows it takes. The plot has k rows per unit,
// the most that still hold the range, so 1, 0 and −1 (where a collapsed net
// sits) each fall on a row and the range ends less than a unit's rows below
// ln(x)'s lowest point: the whole height is used and no blank line sits
// between the plot and its x axis (at 200×60 a step of 0.2 had left 13
// empty rows, down to −8). Wilder predictions are clamped to the edge.
func fitRange(lowestTarget float64, h int) (lo, hi float64, rows int) {
	hi = 1
	need := hi - (lowestTarget - 0.2)
	avail := max(h-1, 1)
	// k whole: asciigraph rounds value×rows-per-unit to rows, exact only then.
	k := math.Floor(float64(avail) / need)
	if k < 1 {
		return hi - float64(avail), hi, avail // a very short plot clamps ln's steep end
	}
	return hi - float64(avail)/k, hi, avail
}

// fitRowLabel is a fit-axis row's label: only the whole and half values
// get one (at 7 rows a unit the rows between are unlabelled, not −0.14).
func fitRowLabel(v, step float64) string {
	if h := v * 2; math.Abs(h-math.Round(h)) > 1e-9 {
		return ""
	}
	return fitLabel(v, step)
}

// fitLabel writes a fit-axis value to the step's own precision (−1.25, not
// −1.2; −0.33 for a third), so every label is its row's value as printed.
func fitLabel(v, step float64) string {
	dec := 0
	for dec < 2 && math.Abs(step*math.Pow(10, float64(dec))-math.Round(step*math.Pow(10, float64(dec)))) > 1e-9 {
		dec++
	}
	v = math.Round(v*math.Pow(10, float64(dec))) / math.Pow(10, float64(dec))
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// dotted draws ln(x) so it stays distinct from net(x) even without colour.
var dotted = asciigraph.CreateCharSet("·")

// graphOpts are the options every plot shares: a fixed-width y label (so the
// plot's width is known before drawing) and an axis right after it.
func graphOpts(h int, lo, hi float64, label func(float64) string) []asciigraph.Option {
	return []asciigraph.Option{
		asciigraph.Height(h - 1), asciigraph.LowerBound(lo), asciigraph.UpperBound(hi),
		asciigraph.Offset(2), asciigraph.YAxisValueFormatter(label),
	}
}

// labelWidth is the y label width every formatter below pads to.
const labelWidth = 7

// plotColumns is how many data columns fit in a plot w cells wide:
// asciigraph writes the label plus one space, the axis, then the data.
func plotColumns(w int) int { return w - labelWidth - 2 }

// fixedLabel right-aligns a label in labelWidth cells. Labels come from
// shortNum or realUnits, which never exceed it, so nothing is cut.
func fixedLabel(s string) string { return fmt.Sprintf("%*s", labelWidth, s) }

// shortNum writes an axis value in at most labelWidth characters, with
// rounding noise (−2.2e-16 for 0) removed.
func shortNum(v float64, digits int) string {
	if math.Abs(v) < 1e-12 {
		return "0"
	}
	s := strconv.FormatFloat(v, 'g', digits, 64)
	if len(s) > labelWidth || strings.Contains(s, "e") {
		return realUnits(v)
	}
	return s
}

// clampSeries makes v safe for asciigraph: NaN stays a gap, ±Inf and values
// outside [lo, hi] go to the edge. It reports whether anything was clamped
// and whether any value is drawable.
func clampSeries(v []float64, lo, hi float64) (clamped, drawable bool) {
	for i, x := range v {
		switch {
		case math.IsNaN(x):
			continue
		case x < lo:
			v[i], clamped = lo, true
		case x > hi:
			v[i], clamped = hi, true
		}
		drawable = true
	}
	return clamped, drawable
}

// block pads or cuts s to exactly h lines of exactly w cells.
func block(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lw := lipgloss.Width(l)
		if lw > w {
			l = truncate(l, w)
			lw = lipgloss.Width(l)
		}
		lines[i] = l + strings.Repeat(" ", w-lw)
	}
	return strings.Join(lines, "\n")
}

// truncate cuts s to w cells, and says so: a cut line ends in "…", so no
// word or number is ever silently shortened (tests look for the mark).
func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// laneStyle is how lane i of n is drawn: a single run keeps the classic
// solid line; race lanes get a glyph each (and a colour when there is colour).
func laneStyle(i, n int, st styles) (asciigraph.CharSet, lipgloss.Style, string) {
	if n == 1 {
		return asciigraph.DefaultCharSet, st.PredMark, "─"
	}
	return st.LaneChars[i], st.LaneMarks[i], st.LaneGlyphs[i]
}

// bothGlyph marks a cell where ln(x) and net(x) fall together, so a fitted
// net does not hide the target it fits.
const bothGlyph = '◆'

// plotted is a drawn plot: the graph and the lines below it (the x axis,
// then the legend, wrapped to the width).
type plotted struct {
	graph  string
	footer []string
}

// plotFit draws ln(x) and each lane's net(x) over (0,1] in a w×h block.
// rot rotates the order race lanes are drawn in, so where lanes coincide
// each is on top in turn.
func plotFit(snaps []engine.Snapshot, w, h int, st styles, rot int) plotted {
	cols := plotColumns(w)
	if cols < 2 || h < 3 || len(snaps) == 0 || len(snaps[0].Pred) == 0 || len(snaps[0].GridX) == 0 {
		return plotted{graph: block("", w, h)}
	}
	s0 := &snaps[0]
	n := len(s0.GridX)
	at := func(c int) int { return min(int((float64(c)+0.5)/float64(cols)*float64(n)), n-1) }
	target := make([]float64, cols)
	for c := range target {
		target[c] = s0.Target[at(c)]
	}
	pts := s0.Config.Points
	span := target
	if pts != nil { // the points are dots (markPoints), not a line: the range holds every one
		span = pts.Y
	}
	lo, hi, rows := targetSpan(span, h, isLn(s0.Config)) // fitRange(target[0], h) for ln: plots_target.go
	rowLabel := fitLabel
	if lnShaped(span, isLn(s0.Config)) {
		rowLabel = fitRowLabel
	}
	if pts != nil {
		for c := range target {
			target[c] = math.NaN()
		}
	}
	clampSeries(target, lo, hi)
	series := [][]float64{target}
	charsets := []asciigraph.CharSet{dotted}
	legend := []string{st.TargetMark.Render(targetLegend(s0.Config))}
	var clampNotes []string
	order := make([]int, len(snaps))
	for i := range order {
		order[i] = (i + rot) % len(snaps)
	}
	var single []float64
	laneLegend := make([]string, len(snaps))
	for _, i := range order {
		cs, mark, glyph := laneStyle(i, len(snaps), st)
		name := "net(x)"
		if len(snaps) > 1 {
			name = fmt.Sprintf("%c %s", 'A'+i, snaps[i].Config.Optimizer)
		}
		pred := make([]float64, cols)
		if len(snaps[i].Pred) == n {
			for c := range pred {
				pred[c] = snaps[i].Pred[at(c)]
			}
		} else {
			for c := range pred {
				pred[c] = math.NaN()
			}
		}
		clamped, drawable := clampSeries(pred, lo, hi)
		if clamped {
			clampNotes = append(clampNotes, clampNote(name, &snaps[i], lo, hi))
		}
		if !drawable {
			laneLegend[i] = st.Bad.Render(name + ": NaN")
			continue
		}
		series = append(series, pred)
		charsets = append(charsets, cs)
		laneLegend[i] = mark.Render(strings.Repeat(glyph, 3) + " " + name)
		if len(snaps) == 1 {
			single = pred
		}
	}
	legend = append(legend, laneLegend...)
	if single != nil {
		legend = append(legend, st.BothMark.Render(string(bothGlyph)+" both"))
	}
	step := (hi - lo) / float64(rows)
	opts := graphOpts(rows+1, lo, hi, func(v float64) string { return fixedLabel(rowLabel(v, step)) })
	opts = append(opts, asciigraph.SeriesChars(charsets...))
	graph := asciigraph.PlotMany(series, opts...)
	switch {
	case pts != nil:
		graph = markPoints(graph, pts, s0.GridX, cols, single, rows, lo, hi)
	case single != nil:
		graph = markBoth(graph, target, single, rows, lo, hi)
	}
	graph = colorize(graph, st, len(snaps) > 1, st.PredMark, st.TargetMark)
	foot := []string{xAxis(cols, domainTicks(s0.GridX), "x")}
	foot = append(foot, wrapLegend(legend, w)...)
	for _, note := range clampNotes {
		for _, l := range wrapWords(note, w, 2) {
			foot = append(foot, st.Warn.Render(l))
		}
	}
	return plotted{graph: block(graph, w, h), footer: foot}
}

// clampNote says where a clamped prediction really is, in the grid's own
// figures (the least and greatest of net(x) on the 1000 points), written
// as the verdict and the captions write predictions.
func clampNote(name string, s *engine.Snapshot, lo, hi float64) string {
	mn, mx := s.Metrics.MinPred, s.Metrics.MaxPred
	span := engine.Signed(mn) + " to " + engine.Signed(mx)
	if engine.Signed(mn) == engine.Signed(mx) {
		span = engine.Signed(mn)
	}
	switch {
	case mx < lo:
		return fmt.Sprintf("%s is %s, below the plot: drawn on its edge", name, span)
	case mn > hi:
		return fmt.Sprintf("%s is %s, above the plot: drawn on its edge", name, span)
	}
	return fmt.Sprintf("%s (%s) leaves the plot: drawn on its edge there", name, span)
}

// axisIndex finds the y axis in a plot line: data starts right after it.
func axisIndex(r []rune) int {
	for i, c := range r {
		if c == '┤' || c == '┼' {
			return i
		}
	}
	return -1
}

// colorize colours a plain plot by glyph, right of the axis: ln(x)'s dots,
// the solid line (net(x), lane A, or the loss), the race glyphs, the both
// mark. asciigraph's own colours would make markBoth's cell arithmetic
// wrong, and the glyphs say which series a cell belongs to anyway.
func colorize(graph string, st styles, race bool, solid, dots lipgloss.Style) string {
	if !st.color {
		return graph
	}
	lines := strings.Split(graph, "\n")
	for i, l := range lines {
		r := []rune(l)
		axis := axisIndex(r)
		if axis < 0 {
			continue
		}
		var b strings.Builder
		b.WriteString(string(r[:axis+1]))
		for _, c := range r[axis+1:] {
			var sty lipgloss.Style
			switch {
			case c == ' ':
				b.WriteRune(c)
				continue
			case c == '·' || c == pointGlyph:
				sty = dots
			case c == bothGlyph:
				sty = st.BothMark
			case c == '•':
				sty = st.LaneMarks[1]
			case c == '×':
				sty = st.LaneMarks[2]
			case c == '+':
				sty = st.LaneMarks[3]
			case race:
				sty = st.LaneMarks[0]
			default:
				sty = solid
			}
			b.WriteString(sty.Render(string(c)))
		}
		lines[i] = b.String()
	}
	return strings.Join(lines, "\n")
}

// axisTick is a label at a fraction of the data width.
type axisTick struct {
	at    float64
	label string
}

// xAxis writes labels under the data columns of a plot: a name at the
// axis and each tick label centred on its column (moved inward to fit,
// skipped where it would overlap the one before).
func xAxis(cols int, ticks []axisTick, name string) string {
	line := []rune(fmt.Sprintf("%*s  ", labelWidth, name) + strings.Repeat(" ", cols))
	start := labelWidth + 2
	last := -1
	for _, t := range ticks {
		lr := []rune(t.label)
		c := int(math.Round(t.at*float64(cols-1))) - len(lr)/2
		c = max(0, min(c, cols-len(lr)))
		if c <= last || c < 0 {
			continue
		}
		copy(line[start+c:], lr)
		last = c + len(lr)
	}
	return strings.TrimRight(string(line), " ")
}

// wrapLegend joins legend items with two spaces, wrapping between items.
func wrapLegend(items []string, w int) []string { return wrapItems(items, "  ", w) }
