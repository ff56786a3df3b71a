package tui

import (
	"math"
	"strconv"
	"strings"

	"github.com/guptarohit/asciigraph"
)

// errorRoom is the error view: no state of its own but its size.
type errorRoom struct{ w, h int }

func (r *errorRoom) SetSize(w, h int) { r.w, r.h = w, h }

// errFloor is the smallest error the view tells apart from zero.
const errFloor = 1e-8

// View plots |net(x) − ln(x)| against x on a log-x axis: the near-zero
// end, where ln x plunges, is where the MSE comes from. The y axis (log10)
// runs over the decades the error spans, a labelled row on each decade;
// the x axis marks its decades and x = 0.01, where mse x≥0.01 begins.
func (r *errorRoom) View(f *frame, st styles) string {
	w, h := r.w, r.h
	s := f.snap()
	title := st.Title.Render(" |net(x) − ln(x)| against x, log-x axis") + st.Dim.Render("  (e closes)")
	cols := plotColumns(w - 2)
	if cols < 2 || h < 7 || len(s.Pred) != len(s.GridX) || len(s.GridX) == 0 {
		return block(title, w, h)
	}
	n := len(s.GridX)
	x0, x1 := math.Log10(s.GridX[0]), math.Log10(s.GridX[n-1])
	errs := make([]float64, cols)
	lo, hi := math.Inf(1), math.Inf(-1)
	for c := range errs {
		x := math.Pow(10, x0+(x1-x0)*float64(c)/float64(cols-1))
		i := min(max(int(x*float64(n)), 0), n-1)
		e := math.Abs(s.Pred[i] - s.Target[i])
		switch {
		case math.IsNaN(e):
			errs[c] = math.NaN()
			continue
		case e < errFloor:
			errs[c] = math.Log10(errFloor)
		default:
			errs[c] = math.Log10(e)
		}
		lo, hi = math.Min(lo, errs[c]), math.Max(hi, errs[c])
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
	// x = 0.01 as a dotted column where the curve leaves the cell empty.
	edge := int(math.Round((-2 - x0) / (x1 - x0) * float64(cols-1)))
	lines := strings.Split(graph, "\n")
	for i, l := range lines {
		rs := []rune(l)
		a := axisIndex(rs)
		if a < 0 || edge < 0 || edge >= cols {
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
	var ticks []axisTick
	ticks = append(ticks, axisTick{0, shortNum(s.GridX[0], 2)})
	for d := math.Ceil(x0); d <= x1+1e-9; d++ {
		ticks = append(ticks, axisTick{(d - x0) / (x1 - x0), decadeLabel(int(d))})
	}
	if math.Ceil(x0) > x1-1e-9 || x1-math.Floor(x1) > 0.01 { // the grid's last point, short of the decade 1
		ticks = append(ticks, axisTick{1, shortNum(s.GridX[n-1], 2)})
	}
	axis := xAxis(cols, ticks, "x")
	legend := "┊ x = 0.01: mse x≥0.01 is over the points right of it; log y"
	if lo <= math.Log10(errFloor) {
		legend += "; errors below 1e-8 on the floor"
	}
	return block(title+"\n"+strings.Join(lines, "\n")+"\n"+st.Dim.Render(axis)+"\n"+st.Dim.Render(truncLegend(legend, w)), w, h)
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
