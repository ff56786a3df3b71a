package tui

import (
	"fmt"
	"math"
	"strings"

	"lnfit/engine"
)

// The fit plot on any target and domain (issue 24): the smallest changes to
// plots.go's ln-shaped assumptions, each a call here.

// targetSpan is the fit plot's y range for any target: ln's (fitRange,
// from 1 down to below its lowest column, −1 on a row) for ln below 0.9,
// as every ln plot was; otherwise the target's range, in rows of the
// finest round step (1, 2, 2.5 or 5 times a power of ten, so the labels
// stay clean) that holds it with a margin, or else without one, and
// centred in the rows (sin(6x)+x² on (-1,1] in [-1, 2] at 80×24, not
// [-4, 2] from a step of 1 laid from the top).
func targetSpan(target []float64, h int, ln bool) (lo, hi float64, rows int) {
	tmin, tmax := extent(target)
	if lnShaped(target, ln) {
		return fitRange(tmin, h)
	}
	margin := 0.1 * math.Max(tmax-tmin, 0.1)
	nrows := float64(max(h-1, 1))
	base := math.Pow(10, math.Floor(math.Log10(math.Max(tmax-tmin, 0.1)/nrows)))
	for _, m := range []float64{1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000} {
		step := m * base
		for _, mg := range []float64{margin, 0} {
			lo = math.Floor((tmin-mg)/step) * step
			top := math.Ceil((tmax+mg)/step) * step
			used := math.Round((top - lo) / step)
			if used > nrows {
				continue
			}
			lo -= math.Floor((nrows-used)/2) * step // the rows left over, half above and half below
			return lo, lo + nrows*step, int(nrows)
		}
	}
	step := math.Ceil((tmax-tmin)/nrows/base) * base // past the list: any whole number of base
	lo = math.Floor(tmin/step) * step
	return lo, lo + nrows*step, int(nrows)
}

// lnShaped says targetSpan draws target on ln's axis (fitRange's), whose
// rows between the whole and half values go unlabelled.
func lnShaped(target []float64, ln bool) bool {
	tmin, tmax := extent(target)
	return ln && tmax <= 0.9 || math.IsInf(tmax, 0) || math.IsInf(tmin, 0)
}

func extent(v []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range v {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return lo, hi
}

// domainTicks labels the fit plot's x axis with the grid's domain: "0",
// "0.5", "1" on the question's (0,1], as before.
func domainTicks(gridX []float64) []axisTick {
	n := len(gridX)
	if n < 2 {
		return []axisTick{{0, "0"}, {0.5, "0.5"}, {1, "1"}}
	}
	half := (gridX[n-1] - gridX[0]) / float64(n-1) / 2
	lo, hi := gridX[0]-half, gridX[n-1]+half
	snap := func(v float64) float64 { // 0.0005 − 0.0005 may leave 1e-19
		if math.Abs(v) < 1e-9*(hi-lo) {
			return 0
		}
		return v
	}
	return []axisTick{{0, shortNum(snap(lo), 2)}, {0.5, shortNum(snap((lo+hi)/2), 2)}, {1, shortNum(snap(hi), 2)}}
}

// isLn says the run fits the question's ln(x).
func isLn(c engine.Config) bool {
	return c.Points == nil && (c.Target == "" || c.Target == engine.TargetLn)
}

// targetLegend names the dotted line, "ln(x)" for the question's target,
// or the dots of the user's points with their count.
func targetLegend(c engine.Config) string {
	switch {
	case c.Points != nil:
		return fmt.Sprintf("%c your points (%s)", pointGlyph, engine.Commas(int64(len(c.Points.X))))
	case isLn(c):
		return "··· ln(x)"
	}
	name, ok := engine.TargetTitles[c.Target]
	if !ok {
		name = engine.ShortText(c.Target, 40)
	}
	return "··· " + name
}

// pointGlyph is one of the user's points on the fit plot: a dot of its own,
// distinct from a target's dotted line and from every race lane's glyph.
const pointGlyph = '●'

// markPoints draws each point as a dot in the column its x falls in, on
// the row its y rounds to (bothGlyph where pred, the single net, is on the
// same cell). The columns split the grid's span evenly, as the data does.
func markPoints(graph string, ps *engine.PointSet, gridX []float64, cols int, pred []float64, height int, lo, hi float64) string {
	n := len(gridX)
	if n < 2 || cols < 1 {
		return graph
	}
	half := (gridX[n-1] - gridX[0]) / float64(n-1) / 2
	x0, x1 := gridX[0]-half, gridX[n-1]+half
	g := newCells(graph, height, lo, hi)
	g.pad = true
	for i, x := range ps.X {
		c := max(0, min(int((x-x0)/(x1-x0)*float64(cols)), cols-1))
		li := g.line(math.Max(lo, math.Min(ps.Y[i], hi)))
		mark := pointGlyph
		if pred != nil && !math.IsNaN(pred[c]) && g.line(pred[c]) == li {
			mark = bothGlyph
		}
		g.set(li, c, mark)
	}
	return g.String()
}

// fitTitleIn is fitTitle in w cells: without the domain when the whole
// title does not fit (the x axis says it too), and "fit" when neither does.
func fitTitleIn(c engine.Config, w int) string {
	full := fitTitle(c)
	if len([]rune(full)) <= w {
		return full
	}
	if short, _, _ := strings.Cut(full, " on "); len([]rune(short)) <= w {
		return short
	}
	return "fit"
}

// fitTitle is the fit panel's title: what the net is fitted to, on which
// domain ("fit: net(x) vs ln(x) on (0,1]" for the question).
func fitTitle(c engine.Config) string {
	name := targetTitle(c)
	if c.Points != nil {
		name = fmt.Sprintf("your %s points", engine.Commas(int64(len(c.Points.X))))
	}
	return "fit: net(x) vs " + name + " on " + domainText(c)
}

// targetTitle is the target in a title (engine.TargetTitle).
func targetTitle(c engine.Config) string { return engine.TargetTitle(c) }

// subtrahend is a target's title after a minus: an expression with a + or
// − of its own in brackets ("net(x) − (sin(6*x) + x^2)", not "− sin(6*x) + x^2").
func subtrahend(title string) string {
	if strings.ContainsAny(title, "+-−") {
		return "(" + title + ")"
	}
	return title
}

// domainText writes the domain: "(0,1]" for the question's (engine.DomainText).
func domainText(c engine.Config) string { return engine.DomainText(c) }

// mseLabels name the metrics line's two MSEs by what they measure: the
// grid's ("mse (0,1]", "mse (-1,1]", or "mse points" on the user's
// points) and, for ln only, the one without its singularity ("mse
// x≥0.01"); for any other target that is the same figure, and above is "".
func mseLabels(c engine.Config, m engine.Metrics) (whole, above string) {
	switch {
	case c.Points != nil || m.MSEAboveOn == engine.AbovePoints:
		return "mse points", ""
	case m.MSEAboveOn == engine.AboveWhole:
		return "mse " + domainText(c), ""
	}
	return "mse " + domainText(c), "mse x≥0.01"
}

// verdictMSE is the label of the figure the verdicts and the race lanes
// quote (mse_above_0_01, whatever it covers for the target).
func verdictMSE(c engine.Config, m engine.Metrics) string {
	whole, above := mseLabels(c, m)
	if above == "" {
		return whole
	}
	return above
}
