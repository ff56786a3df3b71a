package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/guptarohit/asciigraph"

	"lnfit/engine"
)

// asciigraph panics on an empty series and widens (never narrows) its y
// bounds to the data. Everything here hands it clean data: finite values
// clamped into [lo, hi], NaN only as a gap, and bounds passed explicitly so
// the axis is exactly [lo, hi].

// fitRange picks the fit plot's y range: from 1 at the top down to just
// below the lowest ln(x) the plot's columns reach (ln of the first column's
// x). The step per row is 1/n, so 1, 0 and −1 (where a collapsed net sits)
// each get a row and a clean label, and asciigraph's rounding of 1/step
// rows per unit is exact. Wilder predictions are clamped to the edge.
func fitRange(lowestTarget float64, h int) (lo, hi float64) {
	hi = 1
	need := hi - (lowestTarget - 0.2)
	rows := float64(max(h-1, 1))
	for _, n := range []float64{10, 5, 4, 3, 2} {
		if rows/n >= need {
			return hi - rows/n, hi
		}
	}
	return hi - rows, hi // step 1: a short plot clamps ln's steep end
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

func truncate(s string, w int) string {
	return lipgloss.NewStyle().MaxWidth(w).Render(s)
}

// laneStyle is how lane i of n is drawn: a single run keeps the classic
// solid line; race lanes get a glyph each (and a colour when there is colour).
func laneStyle(i, n int, st styles) (asciigraph.CharSet, asciigraph.AnsiColor, lipgloss.Style, string) {
	if n == 1 {
		return asciigraph.DefaultCharSet, st.PredColor, st.PredMark, "─"
	}
	var c asciigraph.AnsiColor
	if st.color {
		c = st.LaneColors[i]
	}
	return st.LaneChars[i], c, st.LaneMarks[i], st.LaneGlyphs[i]
}

// plotFit draws ln(x) (first, dotted) and each lane's net(x) (on top) over
// (0,1] in a w×h block, and returns the legend line to go with it.
func plotFit(snaps []engine.Snapshot, w, h int, st styles) (string, string) {
	cols := plotColumns(w)
	if cols < 2 || h < 3 || len(snaps) == 0 || len(snaps[0].Pred) == 0 || len(snaps[0].GridX) == 0 {
		return block("", w, h), ""
	}
	s0 := &snaps[0]
	n := len(s0.GridX)
	at := func(c int) int { return min(int((float64(c)+0.5)/float64(cols)*float64(n)), n-1) }
	target := make([]float64, cols)
	for c := range target {
		target[c] = s0.Target[at(c)]
	}
	lo, hi := fitRange(target[0], h)
	clampSeries(target, lo, hi)
	series := [][]float64{target}
	charsets := []asciigraph.CharSet{dotted}
	colors := []asciigraph.AnsiColor{st.TargetColor}
	legend := st.TargetMark.Render("··· ln(x)")
	anyClamped := false
	for i := range snaps {
		cs, color, mark, glyph := laneStyle(i, len(snaps), st)
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
		anyClamped = anyClamped || clamped
		if !drawable {
			legend += "  " + st.Bad.Render(name+": NaN")
			continue
		}
		series = append(series, pred)
		charsets = append(charsets, cs)
		colors = append(colors, color)
		legend += "  " + mark.Render(strings.Repeat(glyph, 3)+" "+name)
	}
	opts := graphOpts(h, lo, hi, func(v float64) string { return fixedLabel(shortNum(v, 2)) })
	opts = append(opts, asciigraph.SeriesChars(charsets...))
	if st.color {
		opts = append(opts, asciigraph.SeriesColors(colors...))
	}
	graph := asciigraph.PlotMany(series, opts...)
	if anyClamped {
		legend += "  " + st.Warn.Render("(clamped)")
	}
	return block(graph, w, h), legend
}

// lossSeries turns the history into at most cols values: bucket means, each
// column the count-weighted mean of the buckets it covers.
func lossSeries(hist []engine.Bucket, cols int) []float64 {
	n := len(hist)
	if n == 0 || cols < 1 {
		return nil
	}
	if n <= cols {
		out := make([]float64, n)
		for i, b := range hist {
			out[i] = b.Mean()
		}
		return out
	}
	out := make([]float64, cols)
	for c := range out {
		lo, hi := c*n/cols, (c+1)*n/cols
		var sum float64
		var count int64
		for _, b := range hist[lo:hi] {
			sum += b.Sum
			count += b.Count
		}
		out[c] = sum / float64(count)
	}
	return out
}

// ema smooths v in place order with weight alpha on the newest value; gaps stay gaps.
func ema(v []float64, alpha float64) []float64 {
	out := make([]float64, len(v))
	prev := math.NaN()
	for i, x := range v {
		switch {
		case math.IsNaN(x):
			out[i] = math.NaN()
			continue
		case math.IsNaN(prev):
			prev = x
		default:
			prev = alpha*x + (1-alpha)*prev
		}
		out[i] = prev
	}
	return out
}

// plotLoss draws the whole run's loss of every lane on a log10 (or linear)
// scale, with labels in real units; smooth adds an EMA line (one lane) or
// draws each lane smoothed (a race).
func plotLoss(snaps []engine.Snapshot, w, h int, logScale, smooth bool, st styles) (string, string) {
	cols := plotColumns(w)
	var raws [][]float64
	for i := range snaps {
		raws = append(raws, lossSeries(snaps[i].History, cols))
	}
	if cols < 2 || h < 3 || len(raws) == 0 || len(raws[0]) < 2 {
		return block(st.Dim.Render("  (the loss appears after two steps)"), w, h), ""
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	vals := make([][]float64, len(raws))
	for k, raw := range raws {
		vals[k] = make([]float64, len(raw))
		for i, v := range raw {
			switch {
			case math.IsNaN(v):
				vals[k][i] = math.NaN()
			case logScale && v <= 0:
				vals[k][i] = -300 // an exact fit; clamped below
			case logScale:
				vals[k][i] = math.Log10(v) // +Inf stays +Inf, clamped above
			default:
				vals[k][i] = v
			}
			if x := vals[k][i]; !math.IsNaN(x) && !math.IsInf(x, 0) && x > -300 {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
		}
	}
	if math.IsInf(lo, 0) { // nothing finite: an axis around 0
		lo, hi = -1, 1
	}
	if logScale {
		lo, hi = math.Max(lo, -20), math.Min(hi, 308)
	}
	if hi-lo < 1e-9 {
		pad := math.Max(math.Abs(hi)*0.1, 0.5)
		lo, hi = lo-pad, hi+pad
	}
	label := func(v float64) string {
		if logScale {
			return fixedLabel(realUnits(math.Pow(10, v)))
		}
		return fixedLabel(shortNum(v, 3))
	}
	var series [][]float64
	var charsets []asciigraph.CharSet
	var colors []asciigraph.AnsiColor
	legend := ""
	if len(vals) == 1 {
		clampSeries(vals[0], lo, hi)
		series, charsets, colors = [][]float64{vals[0]}, []asciigraph.CharSet{asciigraph.DefaultCharSet}, []asciigraph.AnsiColor{st.LossColor}
		legend = st.LossMark.Render("─── loss")
		if smooth {
			charsets[0] = dotted
			series = append(series, ema(vals[0], 0.15))
			charsets = append(charsets, asciigraph.DefaultCharSet)
			colors = append(colors, st.SmoothColor)
			legend = st.LossMark.Render("··· loss") + "  " + st.SmoothMark.Render("─── EMA")
		}
	} else {
		for i, v := range vals {
			clampSeries(v, lo, hi)
			if smooth {
				v = ema(v, 0.15)
			}
			cs, color, mark, glyph := laneStyle(i, len(vals), st)
			series, charsets, colors = append(series, v), append(charsets, cs), append(colors, color)
			if i > 0 {
				legend += "  "
			}
			legend += mark.Render(fmt.Sprintf("%s %c %s", strings.Repeat(glyph, 2), 'A'+i, snaps[i].Config.Optimizer))
		}
	}
	opts := graphOpts(h, lo, hi, label)
	opts = append(opts, asciigraph.SeriesChars(charsets...))
	if st.color {
		opts = append(opts, asciigraph.SeriesColors(colors...))
	}
	graph := asciigraph.PlotMany(series, opts...)
	scale := "log"
	if !logScale {
		scale = "linear"
	}
	legend += st.Dim.Render(fmt.Sprintf("  %s · steps 1–%s", scale, engine.Commas(snaps[0].Step)))
	return block(graph, w, h), legend
}

// realUnits writes a loss for a log axis label: 2 significant digits, short
// exponents ("3.2e-5", not "3.2e-05").
func realUnits(v float64) string {
	if a := math.Abs(v); a >= 1e-3 && a < 1e4 {
		return strconv.FormatFloat(v, 'g', 2, 64)
	}
	s := fmt.Sprintf("%.1e", v)
	if v < 0 || math.Abs(v) >= 1e100 || math.Abs(v) < 1e-99 {
		s = fmt.Sprintf("%.0e", v) // keeps "-1e-15" and "1e+120" within labelWidth
	}
	s = strings.Replace(s, "e-0", "e-", 1)
	return strings.Replace(s, "e+0", "e+", 1)
}

// plots is the plots room: the fit and the loss, side by side.
func (m Model) plots(w, h int) string {
	if h < 6 {
		return block("", w, h)
	}
	fitW := w / 2
	lossW := w - fitW
	plotH := h - 4 // borders, title, legend
	fitGraph, fitLegend := plotFit(m.frame.snaps, fitW-4, plotH, m.st)
	lossGraph, lossLegend := plotLoss(m.frame.snaps, lossW-4, plotH, m.logLoss, m.smooth, m.st)
	fit := m.panel("fit: net(x) vs ln(x) on (0,1]", fitGraph, fitLegend, fitW)
	loss := m.panel("loss (MSE of each batch)", lossGraph, lossLegend, lossW)
	return lipgloss.JoinHorizontal(lipgloss.Top, fit, loss)
}

func (m Model) panel(title, graph, legend string, w int) string {
	cw := w - 4
	content := strings.Join([]string{
		block(m.st.PanelTitle.Render(title), cw, 1),
		graph,
		block(legend, cw, 1),
	}, "\n")
	return m.st.Panel.Width(w).Render(content)
}
