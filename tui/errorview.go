package tui

import (
	"math"
	"strconv"
	"strings"

	"github.com/guptarohit/asciigraph"

	"lnfit/engine"
)

// errorRoom is the error view: no state of its own but its size.
type errorRoom struct{ w, h int }

func (r *errorRoom) SetSize(w, h int) { r.w, r.h = w, h }

// errFloor is the smallest error the view tells apart from zero.
const errFloor = 1e-8

// View plots |net(x) − target| against x. The y axis (log10) runs over
// the decades the error spans, a labelled row on each decade. The x axis is
// log-x for ln on a domain open at 0, where ln x plunges and the MSE comes
// from, with its decades marked and x = 0.01, where mse x≥0.01 begins;
// for every other target and domain it is linear over the domain.
func (r *errorRoom) View(f *frame, st styles) string {
	w, h := r.w, r.h
	s := f.snap()
	c := s.Config
	logX := s.Metrics.MSEAboveOn == engine.AboveCutLn && c.DomainLo == 0 && c.Points == nil
	against := "linear x"
	if logX {
		against = "log-x axis"
	}
	title := st.Title.Render(" |net(x) − "+subtrahend(targetTitle(c))+"| against x, "+against) + st.Dim.Render("  (e closes)")
	cols := plotColumns(w - 2)
	if cols < 2 || h < 7 || len(s.Pred) != len(s.GridX) || len(s.GridX) < 2 {
		return block(title, w, h)
	}
	n := len(s.GridX)
	half := (s.GridX[n-1] - s.GridX[0]) / float64(n-1) / 2
	dlo, dhi := s.GridX[0]-half, s.GridX[n-1]+half // the domain the grid's cells cover
	x0, x1 := s.GridX[0], s.GridX[n-1]
	if logX {
		x0, x1 = math.Log10(x0), math.Log10(x1)
	}
	errs := make([]float64, cols)
	lo, hi := math.Inf(1), math.Inf(-1)
	for col := range errs {
		x := x0 + (x1-x0)*float64(col)/float64(cols-1)
		if logX {
			x = math.Pow(10, x)
		}
		i := min(max(int((x-dlo)/(dhi-dlo)*float64(n)), 0), n-1)
		e := math.Abs(s.Pred[i] - s.Target[i])
		switch {
		case math.IsNaN(e):
			errs[col] = math.NaN()
			continue
		case e < errFloor:
			errs[col] = math.Log10(errFloor)
		default:
			errs[col] = math.Log10(e)
		}
		lo, hi = math.Min(lo, errs[col]), math.Max(hi, errs[col])
	}
	if math.IsInf(lo, 0) { // nothing finite: a diverged net
		return block(title+"\n"+st.Bad.Render(" net(x) is NaN on the grid: no error to plot"), w, h)
	}
	// Whole decades around the data, a row count that puts each on a row.
	lo, hi = math.Floor(lo), math.Max(math.Ceil(hi), math.Floor(lo)+1)
	hi = math.Min(hi, 300)
	rowsAvail := h - 4 // title, x axis, legend, and one line for the top label
	decades := int(hi - lo)
	for decades > rowsAvail && decades > 1 { // too many decades for the rows: drop the lowest
		lo++
		decades--
	}
	per := max(rowsAvail/decades, 1)
	rows := per * decades
	clampSeries(errs, lo, hi)
	opts := graphOpts(rows+1, lo, hi, func(v float64) string {
		if r := math.Round(v); math.Abs(v-r) < 1e-6 { // a decade's row: its label; the rows between stay blank
			return fixedLabel(decadeLabel(int(r)))
		}
		return fixedLabel("")
	})
	if st.color {
		opts = append(opts, asciigraph.SeriesColors(st.PredColor))
	}
	graph := asciigraph.PlotMany([][]float64{errs}, opts...)
	var ticks []axisTick
	legend := "log y; linear x over the domain"
	if logX {
		graph = markCut(graph, int(math.Round((-2-x0)/(x1-x0)*float64(cols-1))), cols)
		ticks = append(ticks, axisTick{0, shortNum(s.GridX[0], 2)})
		for d := math.Ceil(x0); d <= x1+1e-9; d++ {
			ticks = append(ticks, axisTick{(d - x0) / (x1 - x0), decadeLabel(int(d))})
		}
		if math.Ceil(x0) > x1-1e-9 || x1-math.Floor(x1) > 0.01 { // the grid's last point, short of a decade
			ticks = append(ticks, axisTick{1, shortNum(s.GridX[n-1], 2)})
		}
		legend = "┊ x = 0.01: mse x≥0.01 is over the points right of it; log y"
	} else {
		ticks = domainTicks(s.GridX)
		if c.Points != nil {
			legend = "log y; linear x; the points joined by lines (the mse is on the points)"
		}
	}
	axis := xAxis(cols, ticks, "x")
	if lo <= math.Log10(errFloor) {
		legend += "; errors below 1e-8 on the floor"
	}
	return block(title+"\n"+graph+"\n"+st.Dim.Render(axis)+"\n"+st.Dim.Render(truncLegend(legend, w)), w, h)
}

// markCut draws x = 0.01 (data column edge) as a dotted column where the
// curve leaves the cell empty.
func markCut(graph string, edge, cols int) string {
	if edge < 0 || edge >= cols {
		return graph
	}
	lines := strings.Split(graph, "\n")
	for i, l := range lines {
		rs := []rune(l)
		a := axisIndex(rs)
		if a < 0 {
			continue
		}
		for len(rs) <= a+1+edge { // asciigraph leaves a row's trailing cells out
			rs = append(rs, ' ')
		}
		if rs[a+1+edge] == ' ' {
			rs[a+1+edge] = '┊'
			lines[i] = string(rs)
		}
	}
	return strings.Join(lines, "\n")
}

// decadeLabel writes 10^d as a label: "1", "0.01", "100", "1e-5", "1e+6".
func decadeLabel(d int) string {
	switch {
	case d >= 0 && d <= 4:
		return "10000"[:d+1]
	case d < 0 && d >= -3:
		return "0." + strings.Repeat("0", -d-1) + "1"
	case d > 0:
		return "1e+" + strconv.Itoa(d)
	}
	return "1e-" + strconv.Itoa(-d)
}

// truncLegend keeps a legend's first clauses that fit in w (cut at "; ").
func truncLegend(s string, w int) string {
	for len([]rune(s)) > w-1 {
		i := strings.LastIndex(s, "; ")
		if i < 0 {
			return ""
		}
		s = s[:i]
	}
	return " " + s
}
