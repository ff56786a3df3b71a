package engine

import (
	"fmt"
	"math"
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
)

var statusNames = [...]string{"untrained", "learning", "converged", "collapsed", "saturated", "diverged"}

func (s Status) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return "unknown"
	}
	return statusNames[s]
}

// Diagnosis is a status, a finer kind (for hysteresis), and one sentence.
type Diagnosis struct {
	Status Status
	Kind   string // untrained, diverged, collapsed-mean, collapsed-heading, saturated, flat, converged, learning
	Text   string
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
		return Diagnosis{StatusDiverged, "diverged", fmt.Sprintf("diverged at step %s: %s", Commas(s.DivergedAt), s.DivergeReason)}
	case s.Step == 0:
		return Diagnosis{StatusUntrained, "untrained", fmt.Sprintf("not trained yet: net(x) ≈ %s on all of (0,1], where ln x is below 0", signed(m.MeanPred))}
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
					"collapsed to the mean of %s (≈ %.2f): every ReLU in layer %d is dead", TargetWords(s.Config), s.BestConstant, layer+1)}
			}
			return Diagnosis{StatusCollapsed, "collapsed-heading", fmt.Sprintf(
				"collapsed to a constant (%.3g): every ReLU in layer %d is dead; only the output bias learns, heading for the mean of %s (%.2f)",
				m.MeanPred, layer+1, TargetWords(s.Config), s.BestConstant)}
		}
		for l := range m.Saturated {
			if m.Units[l] > 0 && m.Saturated[l] == m.Units[l] {
				return Diagnosis{StatusSaturated, "saturated", fmt.Sprintf(
					"constant output (≈ %.2f): every unit of layer %d is saturated (|z| large for every x), so its gradient is ~0", m.MeanPred, l+1)}
			}
		}
		return Diagnosis{StatusLearning, "flat", fmt.Sprintf(
			"learning — still nearly flat (small init): spread %.2g; mse %.3g %s", m.Spread, m.MSEAbove001, MSEWhere(m))}
	}
	if m.MSEAbove001 < ConvergedMSE || prev.Kind == "converged" && m.MSEAbove001 < convergedLeave {
		return Diagnosis{StatusConverged, "converged", fmt.Sprintf("converged: mse %.2g %s", m.MSEAbove001, MSEWhere(m))}
	}
	return Diagnosis{StatusLearning, "learning", fmt.Sprintf("learning: mse %.3g %s", m.MSEAbove001, MSEWhere(m))}
}

// signed writes a prediction with its sign: "+101", "−0.42".
func signed(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.Abs(v) >= 10:
		return fmt.Sprintf("%+.0f", v)
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
