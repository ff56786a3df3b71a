package engine

import (
	"fmt"
	"math"
	"strings"
)

// TargetLn is the default target: the question's y = ln x.
const TargetLn = "ln"

// TargetBuiltins are the named targets; anything else is read as an
// expression in x (see target_expr.go).
var TargetBuiltins = []string{TargetLn, "sin", "square", "sqrt", "abs", "exp", "step", "sawtooth"}

// maxDomainAbs bounds the domain's ends.
const maxDomainAbs = 1e6

// MaxTargetLen caps an expression so a token can always carry it whole.
const MaxTargetLen = 200

// maxTargetAbs bounds |y| on the domain: beyond it the squared error
// overflows long before a net could learn anything.
const maxTargetAbs = 1e9

// target is a compiled target: f for one x, fill for a batch. A built-in's
// fill is a plain loop over its formula (ln's is logs, the vector math.Log
// the question always used), so it costs no more than ln did.
type target struct {
	name string
	f    func(float64) float64
	fill func(y, x []float64)
	// singular: the target has a singularity at the domain's open end 0
	// (ln), so mse_above_0_01 leaves x < 0.01 out; otherwise it is the
	// whole domain.
	singular bool
	// slow: its formula costs more than ln's vector log, so batches are
	// read from a table when one is accurate enough (target_table.go).
	slow bool
	how  string // how batches are computed, for the benchmark and JSON
}

func loop(f func(float64) float64) func(y, x []float64) {
	return func(y, x []float64) {
		y = y[:len(x)]
		for i, v := range x {
			y[i] = f(v)
		}
	}
}

func sin2pi(x float64) float64  { return math.Sin(2 * math.Pi * x) }
func square(x float64) float64  { return x * x }
func absHalf(x float64) float64 { return math.Abs(x - 0.5) }
func step(x float64) float64 {
	if x < 0.5 {
		return 0
	}
	return 1
}
func sawtooth(x float64) float64 { v := 3 * x; return v - math.Floor(v) } // three teeth on (0,1]

// builtinTarget returns the named target, or nil.
func builtinTarget(name string) *target {
	var f func(float64) float64
	var fill func(y, x []float64)
	switch name {
	case TargetLn:
		return &target{name: name, f: math.Log, fill: logs, singular: true, how: "exact"}
	case "sin":
		f = sin2pi
		fill = func(y, x []float64) {
			y = y[:len(x)]
			for i, v := range x {
				y[i] = math.Sin(2 * math.Pi * v)
			}
		}
	case "square":
		f = square
		fill = func(y, x []float64) {
			y = y[:len(x)]
			for i, v := range x {
				y[i] = v * v
			}
		}
	case "sqrt":
		f = math.Sqrt
		fill = func(y, x []float64) {
			y = y[:len(x)]
			for i, v := range x {
				y[i] = math.Sqrt(v)
			}
		}
	case "abs":
		f = absHalf
		fill = func(y, x []float64) {
			y = y[:len(x)]
			for i, v := range x {
				y[i] = math.Abs(v - 0.5)
			}
		}
	case "exp":
		f = math.Exp
	case "step":
		f = step
		fill = func(y, x []float64) { // without a branch: batches are random, so a branch mispredicts half the time
			y = y[:len(x)]
			for i, v := range x {
				y[i] = float64(math.Float64bits(v-0.5)>>63 ^ 1)
			}
		}
	case "sawtooth":
		f = sawtooth
	default:
		return nil
	}
	if fill == nil {
		fill = loop(f)
	}
	return &target{name: name, f: f, fill: fill, slow: name == "sin" || name == "exp", how: "exact"}
}

// compileTarget reads a built-in's name or an expression in x.
func compileTarget(s string) (*target, error) {
	if s == "" {
		s = TargetLn // a Config from before targets existed
	}
	if t := builtinTarget(s); t != nil {
		return t, nil
	}
	if len(s) > MaxTargetLen {
		return nil, fmt.Errorf("%d characters, at most %d", len(s), MaxTargetLen)
	}
	f, err := parseExpr(s)
	if err != nil {
		return nil, err
	}
	return &target{name: s, f: f, fill: loop(f), slow: true, how: "exact"}, nil
}

// checkOn refuses a target that is NaN, ±Inf or beyond ±maxTargetAbs
// somewhere on the domain (lo, hi], naming the x. It looks at a fine grid
// with both kinds of point training uses: 10^4 steps of the domain (which
// land on round numbers like 0.3, where 1/(x−0.3) fails) and the
// evaluation grid's midpoints.
func (t *target) checkOn(lo, hi float64) error {
	const fine = 10_000
	span := hi - lo
	try := func(x float64) error {
		y := t.f(x)
		if math.IsNaN(y) || math.IsInf(y, 0) || math.Abs(y) > maxTargetAbs {
			return fmt.Errorf("it is %v at x = %s, inside the domain (%s, %s]", y, fmtFloat(x), fmtFloat(lo), fmtFloat(hi))
		}
		return nil
	}
	for k := 1; k <= fine; k++ {
		if err := try(lo + span*float64(k)/fine); err != nil {
			return err
		}
	}
	for i := 0; i < GridPoints; i++ {
		if err := try(lo + span*((float64(i)+0.5)/GridPoints)); err != nil {
			return err
		}
	}
	return nil
}

// targetWant is what the target setting allows, in words.
var targetWant = "one of " + strings.Join(TargetBuiltins, ", ") +
	", or an expression in x such as 'sin(6*x) + x^2' (+ - * / ^, sin cos tan exp ln log sqrt abs tanh, pi, e)"

// targetName is the target as settings write it: "" (a Config from before
// targets) is ln.
func targetName(s string) string {
	if s == "" {
		return TargetLn
	}
	return s
}

// buildGrid compiles the target and lays out the evaluation grid on the
// domain with the target on it (on (0,1]: x = (i+0.5)/GridPoints exactly,
// since 0 + 1·v = v).
func (t *Trainer) buildGrid() error {
	lo, hi := t.cfg.DomainLo, t.cfg.DomainHi
	if t.cfg.Points != nil {
		t.tgt = pointsTarget(t.cfg.Points)
	} else {
		tgt, err := compileTarget(t.cfg.Target)
		if err != nil {
			return err
		}
		t.tgt = batchTarget(tgt, lo, hi)
	}
	t.gridX = make([]float64, GridPoints)
	t.gridY = make([]float64, GridPoints)
	for i := range t.gridX {
		t.gridX[i] = lo + (hi-lo)*((float64(i)+0.5)/GridPoints)
		t.gridY[i] = t.tgt.f(t.gridX[i])
	}
	return nil
}
