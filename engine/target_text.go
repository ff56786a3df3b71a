package engine

import "math"

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
