package tui

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/guptarohit/asciigraph"

	"lnfit/engine"
)

// lossColumns turns the history into at most cols columns: each the
// count-weighted mean of the buckets it covers, and their max (so step 1's
// loss, the story of the collapse, stays on the plot at any run length).
// With logX the columns are log-spaced in steps and read the log buckets.
func lossColumns(s *engine.Snapshot, cols int, logX bool) (mean, top []float64) {
	return lossColumnsTo(s, cols, logX, 0)
}

// lossColumnsTo is lossColumns on a step axis that runs on to step end
// (a moment on the timeline, drawn on its run's axis): the columns past
// the snapshot's own step are gaps.
func lossColumnsTo(s *engine.Snapshot, cols int, logX bool, end int64) (mean, top []float64) {
	hist := s.History
	if logX {
		hist = s.LogHistory
	}
	n := len(hist)
	if n == 0 || cols < 1 {
		return nil, nil
	}
	last := hist[n-1].First + hist[n-1].Count - 1
	byStep := end > last // columns by step, not by bucket: the axis runs past the history
	if !logX && n <= cols && !byStep {
		mean, top = make([]float64, n), make([]float64, n)
		for i, b := range hist {
			mean[i], top[i] = b.Mean(), b.Max
			if b.First+b.Count-1 <= s.ForkedAt { // another lane's steps, before this one was forked
				mean[i], top[i] = math.NaN(), math.NaN()
			}
		}
		return mean, top
	}
	mean, top = make([]float64, cols), make([]float64, cols)
	first, last := hist[0].First, max(last, end)
	for c := range mean {
		var sum float64
		var count, upTo int64
		mx := math.Inf(-1)
		add := func(b engine.Bucket) {
			sum += b.Sum
			count += b.Count
			mx = math.Max(mx, b.Max)
			upTo = max(upTo, b.First+b.Count-1)
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
		} else if byStep {
			// Column c covers steps [lo, hi) of first..last.
			lo := first + int64(c)*(last-first+1)/int64(cols)
			hi := max(first+int64(c+1)*(last-first+1)/int64(cols), lo+1)
			for _, b := range hist {
				if b.First+b.Count > lo && b.First < hi {
					add(b)
				}
			}
		} else {
			for _, b := range hist[c*n/cols : (c+1)*n/cols] {
				add(b)
			}
		}
		if count == 0 || upTo <= s.ForkedAt { // nothing, or only steps from before this lane was forked
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
	end                int64 // a moment on the timeline: the axis runs to its run's step end, with a cursor at the moment (0: the live run)
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
	cursor := o.end > snaps[0].Step
	for i := range snaps {
		mean, top := lossColumnsTo(&snaps[i], cols, o.logX, o.end)
		if len(mean) == 1 { // one step so far: a flat line of it
			mean, top = append(mean, mean[0]), append(top, top[0])
		}
		means, tops = append(means, mean), append(tops, top)
	}
	if len(means[0]) < 2 {
		note := "(no loss before the first step)"
		if k := snaps[0].Step; k > 0 { // a loaded network: its history starts at its own step
			note = "(no loss kept before step " + engine.Commas(k) + ", where the loaded network starts)"
		}
		return plotted{graph: block(st.Dim.Render(strings.Join(wrapWords(note, w-2, 2), "\n")), w, h)}
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
	// Labels are printed to two or three figures: a span narrower than
	// they can tell apart (a flat loss, 0.52 to 0.53) is widened about its
	// middle, so no two rows carry the same label.
	if mid := (lo + hi) / 2; o.logY && hi-lo < 0.5 {
		lo, hi = mid-0.25, mid+0.25
	} else if span := 0.2 * math.Abs(mid); !o.logY && hi-lo < span {
		lo, hi = mid-span/2, mid+span/2
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
			item := fmt.Sprintf("%s %c %s", strings.Repeat(glyph, 2), 'A'+i, snaps[i].Config.Optimizer)
			if k := snaps[i].ForkedAt; k > snaps[i].HistStart {
				item += " from " + engine.Commas(k+1) // forked at step k: its own curve starts at k+1, marked ↑ on the axis
			}
			legend = append(legend, mark.Render(item))
		}
	}
	opts := graphOpts(h, lo, hi, label)
	opts = append(opts, asciigraph.SeriesChars(charsets...))
	solid := st.LossMark
	if o.smooth {
		solid = st.SmoothMark
	}
	plot := asciigraph.PlotMany(series, opts...)
	at := -1 // the cursor's column
	if cursor {
		at = lastColumn(means)
		plot = drawCursor(plot, at)
	}
	graph := colorize(plot, st, race, solid, st.Dim)
	first, last := snaps[0].HistStart+1, snaps[0].Step
	if cursor {
		last = o.end
	}
	scale := "log y"
	if !o.logY {
		scale = "linear y"
	}
	legend = append(legend, st.Dim.Render(scale))
	var ticks []axisTick
	if o.logX {
		ticks = logStepTicks(first, last, cols)
	} else {
		ticks = []axisTick{{0, engine.Commas(first)}, {1, engine.Commas(last)}}
	}
	if race { // ↑B under the column where a forked lane's own curve starts
		for i := range means {
			if snaps[i].ForkedAt <= snaps[i].HistStart || len(means[i]) < 2 {
				continue
			}
			for c, v := range means[i] {
				if !math.IsNaN(v) {
					ticks = append(ticks, axisTick{float64(c) / float64(len(means[i])-1), fmt.Sprintf("↑%c", 'A'+i)})
					break
				}
			}
		}
		sort.SliceStable(ticks, func(a, b int) bool { return ticks[a].at < ticks[b].at })
	}
	if at >= 0 {
		ticks = cursorTick(ticks, cols, at, engine.Commas(snaps[0].Step))
	}
	name := "step"
	if o.logX {
		name = "log step"
	}
	foot := []string{xAxis(cols, ticks, name)}
	foot = append(foot, wrapLegend(legend, w)...)
	return plotted{graph: block(graph, w, h), footer: foot}
}

// logStepTicks labels a log step axis of cols columns from step first to
// last: the first step, every decade whose label fits one space after the
// label before it (a label may sit off its tick's centre as long as it
// still covers the tick's column: decades are only a few columns apart),
// and the last step if it fits after them. xAxis centres a label on its
// tick, so each is given the tick that centres it where it goes.
func logStepTicks(first, last int64, cols int) []axisTick {
	span := math.Log(float64(max(last-first+1, 2)))
	place := func(start int, label string) axisTick {
		return axisTick{float64(start+len([]rune(label))/2) / float64(max(cols-1, 1)), label}
	}
	head := engine.Commas(first)
	ticks, free := []axisTick{place(0, head)}, len([]rune(head))+1 // free: where the next label may start
	for p := int64(10); p < last-first+1; p *= 10 {
		label := shortSteps(first - 1 + p)
		n, c := len([]rune(label)), int(math.Round(math.Log(float64(p))/span*float64(cols-1)))
		if start := max(c-n/2, free); start <= c && start+n <= cols {
			ticks, free = append(ticks, place(start, label)), start+n+1
		}
	}
	if tail := shortSteps(last); cols-len([]rune(tail)) >= free {
		ticks = append(ticks, place(cols-len([]rune(tail)), tail))
	}
	return ticks
}

// lastColumn is the last column any series has a value in: where a
// moment's loss ends on its run's axis.
func lastColumn(series [][]float64) int {
	at := 0
	for _, v := range series {
		for c := len(v) - 1; c > at; c-- {
			if !math.IsNaN(v[c]) {
				at = c
				break
			}
		}
	}
	return at
}

// drawCursor draws the timeline's cursor, a dotted upright line, down
// column c of an asciigraph plot, in the cells the curves leave blank.
func drawCursor(plot string, c int) string {
	lines := strings.Split(plot, "\n")
	for i, l := range lines {
		r := []rune(l)
		x := axisIndex(r) + 1 + c
		if x <= 0 {
			continue
		}
		for len(r) <= x {
			r = append(r, ' ')
		}
		if r[x] == ' ' {
			r[x] = '┊'
		}
		lines[i] = string(r)
	}
	return strings.Join(lines, "\n")
}

// cursorTick puts the cursor's step under column c with its arrow in that
// column ("↑1,000", or "1,000↑" at the right edge), and drops the axis's
// other labels it would run into: the moment's step is the one that matters.
func cursorTick(ticks []axisTick, cols, c int, step string) []axisTick {
	n := len([]rune(step)) + 1
	label, start := "↑"+step, c
	if c+n > cols {
		label, start = step+"↑", max(c-n+1, 0)
	}
	span := func(t axisTick) (int, int) { // as xAxis places a label
		k := len([]rune(t.label))
		s := max(0, min(int(math.Round(t.at*float64(cols-1)))-k/2, cols-k))
		return s, s + k
	}
	cur := axisTick{float64(start+n/2) / float64(max(cols-1, 1)), label}
	cs, ce := span(cur)
	out := []axisTick{cur}
	for _, t := range ticks {
		if s, e := span(t); e+1 < cs || s > ce+1 {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].at < out[b].at })
	return out
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
// exponents ("3.2e-5", not "3.2e-05"), one form for every label of an axis
// ("6.3e+3" beside "1.2e+4", never "6.3e+03").
func realUnits(v float64) string {
	if a := math.Abs(v); a >= 1e-3 && a < 1e4 {
		if s := strconv.FormatFloat(v, 'g', 2, 64); !strings.Contains(s, "e") {
			return s
		}
	}
	s := fmt.Sprintf("%.1e", v)
	if v < 0 || math.Abs(v) >= 1e100 || math.Abs(v) < 1e-99 {
		s = fmt.Sprintf("%.0e", v) // keeps "-1e-15" and "1e+120" within labelWidth
	}
	s = strings.Replace(s, "e-0", "e-", 1)
	return strings.Replace(s, "e+0", "e+", 1)
}
