package engine

import (
	"math"
	"strconv"
)

// TargetMean is the mean of the target over what training samples: the
// constant that minimizes the MSE, where a collapsed net ends up. For ln it
// is BestConstant, exactly as before; for another target the mean over
// 10^4 midpoints of (xmin, B] (error ~1e-8 for a smooth target); for points
// the mean of their y.
func TargetMean(c Config) float64 {
	switch {
	case c.Points != nil:
		var s float64
		for _, y := range c.Points.Y {
			s += y
		}
		return s / float64(len(c.Points.Y))
	case targetName(c.Target) == TargetLn && c.Hi() == 1:
		return BestConstant(c.XMin)
	}
	tgt, err := compileTarget(c.Target)
	if err != nil {
		return math.NaN()
	}
	const n = 10_000
	lo, span := c.XMin, c.Hi()-c.XMin
	var s, abs float64
	for i := 0; i < n; i++ {
		v := tgt.f(lo + span*((float64(i)+0.5)/n))
		s, abs = s+v, abs+math.Abs(v)
	}
	if math.Abs(s) < 1e-12*abs { // sin's mean is 0, not the rounding's 1e-16
		return 0
	}
	return s / n
}

// TargetWords names the target in a sentence: "ln x" for the question's,
// "the points" for the user's data, "the target" otherwise.
func TargetWords(c Config) string {
	switch {
	case c.Points != nil:
		return "the points"
	case targetName(c.Target) == TargetLn:
		return "ln x"
	}
	return "the target"
}

// MSEWhere says where mse_above_0_01 is measured, for the verdicts: "on x
// ≥ 0.01" for ln, "on the points", or "on the whole domain".
func MSEWhere(m Metrics) string {
	switch m.MSEAboveOn {
	case AbovePoints:
		return "on the points"
	case AboveWhole:
		return "on the whole domain"
	}
	return "on x ≥ 0.01"
}

// TargetTitles are the built-ins as titles and legends write them.
var TargetTitles = map[string]string{"": "ln(x)", TargetLn: "ln(x)", "sin": "sin(2πx)", "square": "x²", "sqrt": "√x",
	"abs": "|x − 0.5|", "exp": "exp(x)", "step": "step(x)", "sawtooth": "sawtooth(3x)"}

// TargetTitle is the target in a title: "ln(x)", "sin(2πx)", a short
// expression as written, else "the target"; "the points" for points.
func TargetTitle(c Config) string {
	name, ok := TargetTitles[c.Target]
	switch {
	case c.Points != nil:
		return "the points"
	case !ok && len([]rune(c.Target)) <= 16:
		return c.Target
	case !ok:
		return "the target"
	}
	return name
}

// DomainText writes the domain for a title: "(A,B]", open at A as the
// sampler and the grid have it ("(0,1]" for the question's); a points run's
// "[A,B]" holds its smallest point.
func DomainText(c Config) string {
	open := "("
	if c.Points != nil {
		open = "["
	}
	return open + strconv.FormatFloat(c.DomainLo, 'g', 4, 64) + "," + strconv.FormatFloat(c.Hi(), 'g', 4, 64) + "]"
}
