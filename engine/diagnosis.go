package engine

import (
	"fmt"
	"math"
	"strconv"
)

// Status is a plain-words reading of a run's state.
type Status int

const (
	StatusUntrained Status = iota
	StatusLearning         // the prediction has shape and the error is falling or high
	StatusConverged        // mse_above_0_01 < ConvergedMSE
	StatusCollapsed        // constant prediction, every ReLU of a layer dead
	StatusSaturated        // constant prediction with live units: tanh/sigmoid stuck
	StatusDiverged
	StatusDiverging // finite still, but the loss grows step after step (see DivergingSteps)
)

// Thresholds behind the words. Each has a second value to leave by
// (hysteresis), so a verdict read every frame does not flicker when a noisy
// run sits at a threshold: it changes only when the run has clearly crossed.
const (
	CollapsedSpread = 0.05 // max − min of the prediction on (0,1] below this: "constant"
	flatLeave       = 0.08 // ... and it stays "constant" until the spread is above this
	meanEnter       = 0.1  // |mean prediction − mean of ln x| below this: "at the mean"
	meanLeave       = 1.0  // a dead net only moves its output bias: once at the mean it hovers there (batch 1: ±0.4)
	ConvergedMSE    = 1e-4 // on x ≥ 0.01, the answer's figure
	convergedLeave  = 1.5e-4
	// A run is "diverging" once its batch loss has grown on each of the last
	// DivergingSteps steps by at least DivergingGrowth a step on average, to
	// DivergingOver times every loss before that streak: an exploding run
	// does that within a few steps, a noisy healthy one (batch 1) does not.
	DivergingSteps  = 5
	DivergingGrowth = 2.0
	DivergingOver   = 10.0
)

var statusNames = [...]string{"untrained", "learning", "converged", "collapsed", "saturated", "diverged", "diverging"}

func (s Status) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return "unknown"
	}
	return statusNames[s]
}

// Diagnosis is a status, a finer kind (for hysteresis), and one sentence.
type Diagnosis struct {
	Status Status
	Kind   string // untrained, diverged, diverging, collapsed-mean, collapsed-heading, saturated, flat, converged, learning
	Text   string
	// Advice names what would help, as keys the dashboard offers (a view
	// keeps those that work for its viewer now): "-" lower the lr, "i"
	// another init, "a" another activation, "r" reset.
	Advice []string
}

// Diagnose reads a snapshot the way a teacher would.
func Diagnose(s Snapshot) Diagnosis { return DiagnoseAfter(Diagnosis{}, s) }

// DiagnoseAfter is Diagnose for a reading that follows prev (the last
// verdict on the same run): a threshold crossed to enter a state must be
// crossed clearly to leave it.
func DiagnoseAfter(prev Diagnosis, s Snapshot) Diagnosis {
	m := s.Metrics
	switch {
	case s.Diverged:
		return Diagnosis{StatusDiverged, "diverged", fmt.Sprintf("diverged at step %s: %s", Commas(s.DivergedAt), s.DivergeReason), []string{"r", "-"}}
	case s.Step == 0:
		return Diagnosis{Status: StatusUntrained, Kind: "untrained", Text: "not trained yet: " + predRange(m, s.Config) + ", " + targetSpanText(s)}
	case diverging(m): // the factor is ≥ DivergingGrowth, so no rounding of it prints below it
		return Diagnosis{StatusDiverging, "diverging", fmt.Sprintf("diverging: the loss grew ×%s a step for %d steps (to %s)",
			strconv.FormatFloat(m.RiseFactor, 'g', 3, 64), m.RiseSteps, FormatValue(m.LastLoss)), []string{"-"}}
	}
	wasFlat := prev.Kind == "collapsed-mean" || prev.Kind == "collapsed-heading" || prev.Kind == "saturated" || prev.Kind == "flat"
	flat := m.Spread < CollapsedSpread || wasFlat && m.Spread < flatLeave
	if flat {
		layer := -1
		for l := range m.Dead {
			if m.Units[l] > 0 && m.Dead[l] == m.Units[l] {
				layer = l
				break
			}
		}
		if layer >= 0 {
			off := math.Abs(m.MeanPred - s.BestConstant)
			if off < meanEnter || prev.Kind == "collapsed-mean" && off < meanLeave {
				return Diagnosis{StatusCollapsed, "collapsed-mean", fmt.Sprintf(
					"collapsed to the mean of %s (≈ %.2f): every ReLU in layer %d is dead", TargetWords(s.Config), s.BestConstant, layer+1), []string{"i"}}
			}
			return Diagnosis{StatusCollapsed, "collapsed-heading", fmt.Sprintf(
				"collapsed to a constant (%s): every ReLU in layer %d is dead; only the output bias learns, heading for the mean of %s (%.2f)",
				signed(m.MeanPred), layer+1, TargetWords(s.Config), s.BestConstant), []string{"i"}}
		}
		for l := range m.Saturated {
			if m.Units[l] > 0 && m.Saturated[l] == m.Units[l] {
				mean := fmt.Sprintf("%.2f", m.MeanPred)
				if math.Abs(m.MeanPred) >= 1e5 { // a blown-up constant: 5.82e+91, not 92 digits that no line holds
					mean = FormatValue(m.MeanPred)
				}
				return Diagnosis{StatusSaturated, "saturated", fmt.Sprintf(
					"constant output (≈ %s): every unit of layer %d is saturated (|z| large for every x), so its gradient is ~0", mean, l+1),
					[]string{"i", "a"}}
			}
		}
		return Diagnosis{Status: StatusLearning, Kind: "flat", Text: fmt.Sprintf(
			"learning — still nearly flat (small init): spread %s; %s %s", FormatValue(m.Spread), mseLabel(m), FormatValue(m.MSEAbove001))}
	}
	// The figure is printed to as many digits as it takes to be on the
	// threshold's side as printed (9.996e-05 is not "1.00e-04 < 1.00e-04").
	if m.MSEAbove001 < ConvergedMSE {
		return Diagnosis{Status: StatusConverged, Kind: "converged", Text: fmt.Sprintf("converged: %s %s < %s", mseLabel(m),
			agree(m.MSEAbove001, ConvergedMSE, true), FormatValue(ConvergedMSE))}
	}
	if prev.Kind == "converged" && m.MSEAbove001 < convergedLeave {
		return Diagnosis{Status: StatusConverged, Kind: "converged", Text: fmt.Sprintf("converged: %s %s (it went below %s; it holds until %s)", mseLabel(m),
			agree(m.MSEAbove001, convergedLeave, true), FormatValue(ConvergedMSE), FormatValue(convergedLeave))}
	}
	return Diagnosis{Status: StatusLearning, Kind: "learning", Text: "learning: " + mseLabel(m) + " " + agree(m.MSEAbove001, ConvergedMSE, false)}
}

// diverging reads the loss's last rise (Metrics.Rise*) against the thresholds.
func diverging(m Metrics) bool {
	return m.RiseSteps >= DivergingSteps && m.RiseFactor >= DivergingGrowth && m.RiseOver >= DivergingOver
}

// predRange is what the net predicts on the grid: one value when it is
// flat to the eye, else the range it spans.
func predRange(m Metrics, c Config) string {
	dom := "(" + fmtFloat(c.DomainLo) + "," + fmtFloat(c.Hi()) + "]"
	if m.Spread < CollapsedSpread || math.IsNaN(m.Spread) {
		return "net(x) ≈ " + signed(m.MeanPred) + " on all of " + dom
	}
	return "net(x) runs from " + signed(m.MinPred) + " to " + signed(m.MaxPred) + " on " + dom
}

// targetSpanText says where the target lies beside an untrained net: "where
// ln x is below 0" for the question's, as it always said; otherwise the
// range of the target (or the points) on the grid.
func targetSpanText(s Snapshot) string {
	if targetName(s.Config.Target) == TargetLn && s.Config.Points == nil && s.Config.Hi() <= 1 {
		return "where ln x is below 0"
	}
	c := s.Config
	lo, hi := math.Inf(1), math.Inf(-1)
	vals := s.Target
	switch tgt, err := compileTarget(c.Target); {
	case c.Points != nil:
		vals = c.Points.Y
	case len(vals) == 0 && err == nil: // a summary's snapshot carries no grid: the target on one
		vals = make([]float64, GridPoints)
		for i := range vals {
			vals[i] = tgt.f(c.DomainLo + (c.Hi()-c.DomainLo)*((float64(i)+0.5)/GridPoints))
		}
	}
	for _, v := range vals {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if len(vals) == 0 {
		return "against " + TargetWords(c)
	}
	verb := " runs from "
	if c.Points != nil {
		verb = " run from "
	}
	return "where " + TargetWords(c) + verb + signed(lo) + " to " + signed(hi)
}

// agree prints v as FormatValue does, with more digits where fewer would
// put the printed figure on the wrong side of th: below says v < th must
// hold as printed, else v >= th.
func agree(v, th float64, below bool) string {
	out := FormatValue(v)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return out
	}
	for prec := 3; prec <= 17; prec++ {
		if p, err := strconv.ParseFloat(out, 64); err == nil && (p < th) == below {
			return out
		}
		out = strconv.FormatFloat(v, 'g', prec, 64)
	}
	return out
}

// Signed writes a prediction as every sentence of the dashboard does: with
// its sign, "+131.1", "−0.42", "+2.76e+123".
func Signed(v float64) string { return signed(v) }

// signed writes a prediction with its sign: "+101.3", "−0.42".
func signed(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.Abs(v) >= 1e5 || math.IsInf(v, 0):
		return fmt.Sprintf("%+.2e", v) // as FormatValue writes it
	case math.Abs(v) >= 10:
		return fmt.Sprintf("%+.1f", v)
	}
	return fmt.Sprintf("%+.2f", v)
}

// Diagnose reads the trainer now, without copying its history or grids:
// what a lesson's `until collapsed` asks at every check.
func (t *Trainer) Diagnose() Diagnosis {
	return Diagnose(Snapshot{
		Config: t.cfg, Step: t.rec.step, Metrics: t.evaluate(),
		Diverged: t.rec.diverged, DivergedAt: t.rec.divergedAt, DivergeReason: t.rec.divergeReason,
		BestConstant: t.bestConst,
	})
}

// mseLabel names the figure the verdicts quote: "mse x≥0.01" for ln, as
// the header writes it, or where the target's figure is measured.
func mseLabel(m Metrics) string {
	if m.MSEAboveOn == AbovePoints || m.MSEAboveOn == AboveWhole {
		return "mse " + MSEWhere(m)
	}
	return "mse x≥0.01"
}
