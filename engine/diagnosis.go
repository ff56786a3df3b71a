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

// Thresholds behind the words.
const (
	CollapsedSpread = 0.05 // max − min of the prediction on (0,1] below this: "constant"
	ConvergedMSE    = 1e-4 // on x ≥ 0.01, the answer's figure
)

var statusNames = [...]string{"untrained", "learning", "converged", "collapsed", "saturated", "diverged"}

func (s Status) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return "unknown"
	}
	return statusNames[s]
}

// Diagnosis is a status and one sentence that explains it.
type Diagnosis struct {
	Status Status
	Text   string
}

// Diagnose reads a snapshot the way a teacher would.
func Diagnose(s Snapshot) Diagnosis {
	m := s.Metrics
	switch {
	case s.Diverged:
		return Diagnosis{StatusDiverged, fmt.Sprintf("diverged at step %d: %s", s.DivergedAt, s.DivergeReason)}
	case s.Step == 0:
		return Diagnosis{StatusUntrained, "not trained yet"}
	}
	if m.Spread < CollapsedSpread {
		layer := -1
		for l := range m.Dead {
			if m.Units[l] > 0 && m.Dead[l] == m.Units[l] {
				layer = l
				break
			}
		}
		if layer >= 0 {
			if math.Abs(m.MeanPred-s.BestConstant) < 0.1 {
				return Diagnosis{StatusCollapsed, fmt.Sprintf(
					"collapsed to the mean of ln x (≈ %.2f): every ReLU in layer %d is dead",
					s.BestConstant, layer+1)}
			}
			return Diagnosis{StatusCollapsed, fmt.Sprintf(
				"collapsed to a constant (%.3g): every ReLU in layer %d is dead; only the output bias learns, heading for the mean of ln x (%.2f)",
				m.MeanPred, layer+1, s.BestConstant)}
		}
		return Diagnosis{StatusSaturated, fmt.Sprintf(
			"constant output (≈ %.2f): the hidden units are saturated and give the same value for every x", m.MeanPred)}
	}
	if m.MSEAbove001 < ConvergedMSE {
		return Diagnosis{StatusConverged, fmt.Sprintf("converged: mse %.2g on x ≥ 0.01", m.MSEAbove001)}
	}
	return Diagnosis{StatusLearning, fmt.Sprintf("learning: mse %.3g on x ≥ 0.01", m.MSEAbove001)}
}

// Diagnose reads the trainer now, without copying its history or grids:
// what a lesson's `until collapsed` asks at every check.
func (t *Trainer) Diagnose() Diagnosis {
	return Diagnose(Snapshot{
		Config: t.cfg, Step: t.rec.step, Metrics: t.evaluate(),
		Diverged: t.rec.diverged, DivergedAt: t.rec.divergedAt, DivergeReason: t.rec.divergeReason,
		BestConstant: BestConstant(t.cfg.XMin),
	})
}
