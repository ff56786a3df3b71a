package tui

import (
	"fmt"
	"math"

	"github.com/guptarohit/asciigraph"
)

// errorRoom is the error view: no state of its own but its size.
type errorRoom struct{ w, h int }

func (r *errorRoom) SetSize(w, h int) { r.w, r.h = w, h }

// View plots |net(x) − ln(x)| against x on a log-x axis: the near-zero
// end, where ln x plunges, is where the MSE comes from.
func (r *errorRoom) View(f *frame, st styles) string {
	w, h := r.w, r.h
	s := f.snap()
	title := st.Title.Render(" |net(x) − ln(x)| against x, log-x axis") + st.Dim.Render("  (e closes)")
	cols := plotColumns(w - 2)
	if cols < 2 || h < 6 || len(s.Pred) != len(s.GridX) || len(s.GridX) == 0 {
		return block(title, w, h)
	}
	n := len(s.GridX)
	x0, x1 := math.Log10(s.GridX[0]), math.Log10(s.GridX[n-1])
	errs := make([]float64, cols)
	for c := range errs {
		x := math.Pow(10, x0+(x1-x0)*float64(c)/float64(cols-1))
		i := min(max(int(x*float64(n)), 0), n-1)
		e := math.Abs(s.Pred[i] - s.Target[i])
		switch {
		case math.IsNaN(e):
			errs[c] = math.NaN()
		case e < 1e-8:
			errs[c] = -8
		default:
			errs[c] = math.Log10(e)
		}
	}
	lo, hi := -8.0, 2.0
	clampSeries(errs, lo, hi)
	opts := graphOpts(h-3, lo, hi, func(v float64) string { return fixedLabel(realUnits(math.Pow(10, v))) })
	if st.color {
		opts = append(opts, asciigraph.SeriesColors(st.PredColor))
	}
	graph := asciigraph.PlotMany([][]float64{errs}, opts...)
	axis := fmt.Sprintf("%*s%s%*s", labelWidth+2, "", "x = 0.0005", max(cols-16, 1), "x = 1")
	return block(title+"\n"+graph+"\n"+st.Dim.Render(axis), w, h)
}
