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
	lo, hi := fitRange(target[0], h)
	clampSeries(target, lo, hi)
	series := [][]float64{target}
	charsets := []asciigraph.CharSet{dotted}
	legend := []string{st.TargetMark.Render("··· ln(x)")}
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
		raw := append([]float64(nil), pred...)
		clamped, drawable := clampSeries(pred, lo, hi)
		if clamped {
			clampNotes = append(clampNotes, clampNote(name, raw, lo, hi))
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
	opts := graphOpts(h, lo, hi, func(v float64) string { return fixedLabel(shortNum(v, 2)) })
	opts = append(opts, asciigraph.SeriesChars(charsets...))
	graph := asciigraph.PlotMany(series, opts...)
	if single != nil {
		graph = markBoth(graph, target, single, h-1, lo, hi)
	}
	graph = colorize(graph, st, len(snaps) > 1, st.PredMark, st.TargetMark)
	foot := []string{xAxis(cols, []axisTick{{0, "0"}, {0.5, "0.5"}, {1, "1"}}, "x")}
	foot = append(foot, wrapLegend(legend, w)...)
	for _, note := range clampNotes {
		for _, l := range wrapWords(note, w, 2) {
			foot = append(foot, st.Warn.Render(l))
		}
	}
	return plotted{graph: block(graph, w, h), footer: foot}
}

// clampNote says where a clamped prediction really is.
func clampNote(name string, v []float64, lo, hi float64) string {
	below, above := 0, 0
	mn, mx := math.Inf(1), math.Inf(-1)
	for _, x := range v {
		if math.IsNaN(x) {
			continue
		}
		mn, mx = math.Min(mn, x), math.Max(mx, x)
		if x < lo {
			below++
		}
		if x > hi {
			above++
		}
	}
	span := shortNum(mn, 3) + " to " + shortNum(mx, 3)
	if shortNum(mn, 3) == shortNum(mx, 3) {
		span = shortNum(mn, 3)
	}
	switch {
	case below == len(v):
		return fmt.Sprintf("%s is %s, below the plot: drawn on its edge", name, span)
	case above == len(v):
		return fmt.Sprintf("%s is %s, above the plot: drawn on its edge", name, span)
	}
	return fmt.Sprintf("%s (%s) leaves the plot: drawn on its edge there", name, span)
}

// markBoth puts bothGlyph where target and pred fall in the same cell,
// with asciigraph's own rounding of values to rows.
func markBoth(graph string, target, pred []float64, height int, lo, hi float64) string {
	ratio := float64(height) / (hi - lo)
	minRow := math.Round(lo * ratio)
	rows := int(math.Abs(math.Round(hi*ratio) - minRow))
	lines := strings.Split(graph, "\n")
	for c := range target {
		if math.IsNaN(target[c]) || math.IsNaN(pred[c]) {
			continue
		}
		rt := int(math.Round(target[c]*ratio) - minRow)
		if rt != int(math.Round(pred[c]*ratio)-minRow) {
			continue
		}
		li := rows - rt
		if li < 0 || li >= len(lines) {
			continue
		}
		r := []rune(lines[li])
		axis := axisIndex(r)
		if axis < 0 || axis+1+c >= len(r) {
			continue
		}
		r[axis+1+c] = bothGlyph
		lines[li] = string(r)
	}
	return strings.Join(lines, "\n")
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
			case c == '·':
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

// lossColumns turns the history into at most cols columns: each the
// count-weighted mean of the buckets it covers, and their max (so step 1's
// loss, the story of the collapse, stays on the plot at any run length).
// With logX the columns are log-spaced in steps and read the log buckets.
func lossColumns(s *engine.Snapshot, cols int, logX bool) (mean, top []float64) {
	hist := s.History
	if logX {
		hist = s.LogHistory
	}
	n := len(hist)
	if n == 0 || cols < 1 {
		return nil, nil
	}
	if !logX && n <= cols {
		mean, top = make([]float64, n), make([]float64, n)
		for i, b := range hist {
			mean[i], top[i] = b.Mean(), b.Max
		}
		return mean, top
	}
	mean, top = make([]float64, cols), make([]float64, cols)
	last := hist[n-1].First + hist[n-1].Count - 1
	for c := range mean {
		var sum float64
		var count int64
		mx := math.Inf(-1)
		add := func(b engine.Bucket) {
			sum += b.Sum
			count += b.Count
			mx = math.Max(mx, b.Max)
		}
		if logX {
			// Column c covers steps [last^(c/cols), last^((c+1)/cols)).
			lo := math.Pow(float64(last), float64(c)/float64(cols))
			hi := math.Pow(float64(last), float64(c+1)/float64(cols))
			for _, b := range hist {
				bl, bh := float64(b.First), float64(b.First+b.Count)
				if bh > lo && bl < math.Max(hi, lo+1) {
					add(b)
				}
			}
		} else {
			for _, b := range hist[c*n/cols : (c+1)*n/cols] {
				add(b)
			}
		}
		if count == 0 {
			mean[c], top[c] = math.NaN(), math.NaN()
			continue
		}
		mean[c], top[c] = sum/float64(count), mx
	}
	return mean, top
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

// lossOpts is how the loss plot is drawn.
type lossOpts struct {
	logY, logX, smooth bool
}

// plotLoss draws the whole run's loss of every lane on a log10 (or linear)
// y axis and a linear (or log) step axis: for one run the mean of each
// column and, dotted, its largest batch loss; for a race each lane's mean.
func plotLoss(snaps []engine.Snapshot, w, h int, o lossOpts, st styles, rot int) plotted {
	cols := plotColumns(w)
	if cols < 2 || h < 3 || len(snaps) == 0 {
		return plotted{graph: block("", w, h)}
	}
	var means, tops [][]float64
	for i := range snaps {
		mean, top := lossColumns(&snaps[i], cols, o.logX)
		if len(mean) == 1 { // one step so far: a flat line of it
			mean, top = append(mean, mean[0]), append(top, top[0])
		}
		means, tops = append(means, mean), append(tops, top)
	}
	if len(means[0]) < 2 {
		return plotted{graph: block(st.Dim.Render(strings.Join(wrapWords("(no loss before the first step)", w-2, 2), "\n")), w, h)}
	}
	race := len(snaps) > 1
	var raw [][]float64
	if !race {
		raw = [][]float64{tops[0], means[0]}
	} else {
		raw = means
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	vals := make([][]float64, len(raw))
	for k, series := range raw {
		vals[k] = make([]float64, len(series))
		for i, v := range series {
			switch {
			case math.IsNaN(v):
				vals[k][i] = math.NaN()
			case o.logY && v <= 0:
				vals[k][i] = -300 // an exact fit; clamped below
			case o.logY:
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
	if o.logY {
		lo, hi = math.Max(lo, -20), math.Min(hi, 308)
	}
	if hi-lo < 1e-9 {
		pad := math.Max(math.Abs(hi)*0.1, 0.5)
		lo, hi = lo-pad, hi+pad
	}
	label := func(v float64) string {
		if o.logY {
			return fixedLabel(realUnits(math.Pow(10, v)))
		}
		return fixedLabel(shortNum(v, 3))
	}
	var series [][]float64
	var charsets []asciigraph.CharSet
	var legend []string
	if !race {
		for _, v := range vals {
			clampSeries(v, lo, hi)
		}
		series = [][]float64{vals[0], vals[1]}
		charsets = []asciigraph.CharSet{dotted, asciigraph.DefaultCharSet}
		legend = []string{st.LossMark.Render("─── mean"), st.Dim.Render("··· largest batch")}
		if o.smooth {
			series[1] = ema(vals[1], 0.15)
			legend[0] = st.SmoothMark.Render("─── mean, smoothed")
		}
	} else {
		for k := range vals { // drawn in a rotating order: where lanes coincide, each is on top in turn
			i := (k + rot) % len(vals)
			v := vals[i]
			clampSeries(v, lo, hi)
			if o.smooth {
				v = ema(v, 0.15)
			}
			cs, _, _ := laneStyle(i, len(vals), st)
			series, charsets = append(series, v), append(charsets, cs)
		}
		for i := range vals {
			_, mark, glyph := laneStyle(i, len(vals), st)
			legend = append(legend, mark.Render(fmt.Sprintf("%s %c %s", strings.Repeat(glyph, 2), 'A'+i, snaps[i].Config.Optimizer)))
		}
	}
	opts := graphOpts(h, lo, hi, label)
	opts = append(opts, asciigraph.SeriesChars(charsets...))
	solid := st.LossMark
	if o.smooth {
		solid = st.SmoothMark
	}
	graph := colorize(asciigraph.PlotMany(series, opts...), st, race, solid, st.Dim)
	first, last := snaps[0].HistStart+1, snaps[0].Step
	scale := "log y"
	if !o.logY {
		scale = "linear y"
	}
	legend = append(legend, st.Dim.Render(scale))
	var ticks []axisTick
	if o.logX {
		span := math.Log(float64(max(last-first+1, 2)))
		ticks = append(ticks, axisTick{0, engine.Commas(first)})
		for p := int64(10); p < last-first+1; p *= 10 {
			ticks = append(ticks, axisTick{math.Log(float64(p)) / span, shortSteps(first - 1 + p)})
		}
		ticks = append(ticks, axisTick{1, shortSteps(last)})
	} else {
		ticks = []axisTick{{0, engine.Commas(first)}, {1, engine.Commas(last)}}
	}
	name := "step"
	if o.logX {
		name = "log step"
	}
	foot := []string{xAxis(cols, ticks, name)}
	foot = append(foot, wrapLegend(legend, w)...)
	return plotted{graph: block(graph, w, h), footer: foot}
}

// shortSteps writes a step count for a tight axis: 1,000 as "1k", 10^6 as "1M".
func shortSteps(n int64) string {
	switch {
	case n >= 1e9 && n%1e9 == 0:
		return fmt.Sprintf("%dG", n/1e9)
	case n >= 1e6 && n%1e6 == 0:
		return fmt.Sprintf("%dM", n/1e6)
	case n >= 1e3 && n%1e3 == 0:
		return fmt.Sprintf("%dk", n/1e3)
	}
	return engine.Commas(n)
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

// plots is the plots room: the fit and the loss, side by side, each with
// its x axis and legend below, both panels the same height.
func (m Model) plots(w, h int) string {
	if h < 7 {
		return block("", w, h)
	}
	fitW := w / 2
	lossW := w - fitW
	lo := lossOpts{logY: m.logLoss, logX: m.logSteps, smooth: m.smooth}
	// Draw once to learn how many footer lines each needs (clamp notes
	// depend on the height), then again at the height that leaves.
	footH := 2
	var fit, loss plotted
	for try := 0; try < 2; try++ {
		plotH := h - 3 - footH // borders and title
		if plotH < 3 {
			plotH = 3
		}
		fit = plotFit(m.frame.snaps, fitW-4, plotH, m.st, m.rot)
		loss = plotLoss(m.frame.snaps, lossW-4, plotH, lo, m.st, m.rot)
		need := max(len(fit.footer), len(loss.footer), 1)
		if need == footH {
			break
		}
		footH = need
	}
	if h-3-footH < 4 { // a short screen keeps the curves and drops the legends
		footH = 1
		fit = plotFit(m.frame.snaps, fitW-4, h-4, m.st, m.rot)
		loss = plotLoss(m.frame.snaps, lossW-4, h-4, lo, m.st, m.rot)
		fit.footer, loss.footer = fit.footer[:min(1, len(fit.footer))], loss.footer[:min(1, len(loss.footer))]
	}
	if h-3-footH < 3 {
		return block("", w, h)
	}
	left := m.panel("fit: net(x) vs ln(x) on (0,1]", fit, footH, fitW)
	right := m.panel("loss (MSE of each batch)", loss, footH, lossW)
	return lipgloss.JoinHorizontal(lipgloss.Top, left, right)
}

func (m Model) panel(title string, p plotted, footH, w int) string {
	cw := w - 4
	if lipgloss.Width(title) > cw { // a narrow panel: the title's first word
		title, _, _ = strings.Cut(title, ":")
	}
	content := strings.Join([]string{
		block(m.st.PanelTitle.Render(title), cw, 1),
		p.graph,
		block(strings.Join(p.footer, "\n"), cw, footH),
	}, "\n")
	return m.st.Panel.Width(w).Render(content)
}
