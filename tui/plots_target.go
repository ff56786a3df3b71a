package tui

import (
	"fmt"
	"math"
	"strconv"

	"lnfit/engine"
)

// The fit plot on any target and domain (issue 24): the smallest changes to
// plots.go's ln-shaped assumptions, each a call here.

// targetSpan is the fit plot's y range for any target: ln's (fitRange,
// from 1 down to below its lowest column) for a target that stays below
// 0.9, so every ln plot is as it was; otherwise the target's range with a
// margin, in rows of a round step (1, 2, 2.5 or 5 times a power of ten) so
// the labels stay clean.
func targetSpan(target []float64, h int) (lo, hi float64, rows int) {
	tmin, tmax := math.Inf(1), math.Inf(-1)
	for _, v := range target {
		tmin, tmax = math.Min(tmin, v), math.Max(tmax, v)
	}
	if tmax <= 0.9 || math.IsInf(tmax, 0) || math.IsInf(tmin, 0) {
		return fitRange(tmin, h)
	}
	margin := 0.1 * math.Max(tmax-tmin, 0.1)
	nrows := float64(max(h-1, 1))
	need := (tmax - tmin + 2*margin) / nrows
	base := math.Pow(10, math.Floor(math.Log10(need)))
	for _, m := range []float64{1, 2, 2.5, 5, 10, 20, 25, 50, 100} {
		step := m * base
		hi = math.Ceil((tmax+margin)/step) * step
		if lo = hi - nrows*step; step >= need && lo <= tmin {
			break // the first round step whose rows hold the target whole
		}
	}
	return lo, hi, int(nrows)
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

// targetLegend names the dotted line: "ln(x)" for the question's target.
func targetLegend(c engine.Config) string {
	switch {
	case c.Points != nil:
		return "··· your points (joined)"
	case c.Target == "" || c.Target == engine.TargetLn:
		return "··· ln(x)"
	}
	return "··· " + engine.ShortText(c.Target, 40)
}

// targetTitles are the built-ins as the fit panel's title writes them.
var targetTitles = map[string]string{"": "ln(x)", engine.TargetLn: "ln(x)", "sin": "sin(2πx)", "square": "x²", "sqrt": "√x",
	"abs": "|x − 0.5|", "exp": "exp(x)", "step": "step(x)", "sawtooth": "sawtooth(3x)"}

// fitTitle is the fit panel's title: what the net is fitted to, on which
// domain ("fit: net(x) vs ln(x) on (0,1]" for the question).
func fitTitle(c engine.Config) string {
	name, ok := targetTitles[c.Target]
	switch {
	case c.Points != nil:
		name = "the points"
	case !ok && len([]rune(c.Target)) <= 16:
		name = c.Target
	case !ok:
		name = "the target"
	}
	dom := fmt.Sprintf("[%s,%s]", strconv.FormatFloat(c.DomainLo, 'g', 4, 64), strconv.FormatFloat(c.Hi(), 'g', 4, 64))
	if c.DomainLo == 0 { // the open end at 0, as the sampler and the grid have it
		dom = fmt.Sprintf("(0,%s]", strconv.FormatFloat(c.Hi(), 'g', 4, 64))
	}
	return "fit: net(x) vs " + name + " on " + dom
}
