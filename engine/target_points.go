package engine

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// TargetPoints is the target of a run on the user's own points (--points).
const TargetPoints = "points"

// Caps on a points file: far above any hand-made data set.
const (
	MaxPointsFile = 1 << 20
	MaxPoints     = 10_000
)

// PointSet is a user's data: x,y pairs sorted by x. Read-only once made, so
// configurations and forks share it.
type PointSet struct {
	Name string // where it came from, for messages and the summary
	X, Y []float64
}

// ReadPoints reads a CSV file of x,y lines (see ParsePoints).
func ReadPoints(path string) (*PointSet, error) {
	data, err := ReadFileCapped(path, MaxPointsFile)
	if err != nil {
		return nil, err
	}
	ps, err := ParsePoints(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", EscapeText(path), err)
	}
	ps.Name = path
	return ps, nil
}

// ParsePoints reads "x,y" per line: a first line that is not two numbers
// is a header; blank lines and lines starting with # are skipped. A bad
// value is named by line and column; every x and y must be finite and
// within ±maxTargetAbs, and there must be two distinct x at least.
func ParsePoints(data []byte) (*PointSet, error) {
	ps := &PointSet{}
	for ln, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, ",")
		if len(cols) != 2 {
			if ln == 0 && len(ps.X) == 0 {
				continue // a header
			}
			hint := ""
			if strings.Contains(line, ";") {
				hint = `: x and y are separated by ",", not ";"`
			}
			return nil, fmt.Errorf("line %d: %d columns, want 2 (x,y)%s", ln+1, len(cols), hint)
		}
		var v [2]float64
		for c, s := range cols {
			f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > maxTargetAbs {
				if ln == 0 && len(ps.X) == 0 && err != nil {
					break // a header such as x,y
				}
				return nil, fmt.Errorf("line %d, column %d: the %s value %q is not a finite number within ±%g",
					ln+1, c+1, "xy"[c:c+1], strings.TrimSpace(s), maxTargetAbs)
			}
			v[c] = f
			if c == 1 {
				if len(ps.X) == MaxPoints {
					return nil, fmt.Errorf("line %d: more than %d points", ln+1, MaxPoints)
				}
				ps.X, ps.Y = append(ps.X, v[0]), append(ps.Y, v[1])
			}
		}
	}
	if len(ps.X) == 0 {
		return nil, fmt.Errorf("no x,y points")
	}
	sort.Stable(byX{ps})
	if ps.X[0] == ps.X[len(ps.X)-1] {
		return nil, fmt.Errorf("every point has x = %s; want two different x at least", fmtFloat(ps.X[0]))
	}
	return ps, nil
}

type byX struct{ *PointSet }

func (p byX) Len() int           { return len(p.X) }
func (p byX) Less(i, j int) bool { return p.X[i] < p.X[j] }
func (p byX) Swap(i, j int) {
	p.X[i], p.X[j] = p.X[j], p.X[i]
	p.Y[i], p.Y[j] = p.Y[j], p.Y[i]
}

// Use makes c a run on ps: target points, the domain the points span.
func (ps *PointSet) Use(c *Config) {
	c.Points, c.Target = ps, TargetPoints
	c.DomainLo, c.DomainHi, c.XMin = ps.X[0], ps.X[len(ps.X)-1], ps.X[0]
}

// at is the points joined by straight lines: what the fit plot draws as the
// target between them (training and the MSE use the points themselves).
func (ps *PointSet) at(x float64) float64 {
	i := sort.SearchFloat64s(ps.X, x)
	switch {
	case i == 0:
		return ps.Y[0]
	case i == len(ps.X):
		return ps.Y[len(ps.Y)-1]
	}
	x0, x1 := ps.X[i-1], ps.X[i]
	if x1 == x0 {
		return ps.Y[i]
	}
	return ps.Y[i-1] + (x-x0)/(x1-x0)*(ps.Y[i]-ps.Y[i-1])
}

// pointsTarget is the target of a points run.
func pointsTarget(ps *PointSet) *target {
	return &target{name: TargetPoints, f: ps.at, fill: loop(ps.at), how: "the points"}
}

// samplePoints fills the batch with points drawn uniformly (with
// replacement) from the user's set: one draw of the batch stream each.
func (t *Trainer) samplePoints() {
	ps := t.cfg.Points
	n := float64(len(ps.X))
	x, y := t.ws.x, t.ws.y[:len(t.ws.x)]
	for i := range x {
		j := int(unitFloat(t.batchSrc) * n)
		x[i], y[i] = ps.X[j], ps.Y[j]
	}
}

// pointsMSE is the net's MSE on the user's points (the run's MSE when it
// has points: the grid between them is only the plot's line).
func (t *Trainer) pointsMSE() float64 {
	ps := t.cfg.Points
	if t.ptsWS == nil {
		t.ptsWS = newEvalWorkspace(t.cfg.Sizes(), len(ps.X))
		copy(t.ptsWS.x, ps.X)
	}
	pred := t.net.forward(t.ptsWS, len(ps.X), false)
	var sse float64
	for i, p := range pred {
		d := p - ps.Y[i]
		sse += d * d
	}
	return sse / float64(len(ps.X))
}

// What mse_above_0_01 covers, by target (the JSON says which).
const (
	AboveCutLn  = "x ≥ 0.01 (ln's singularity at 0 left out)"
	AboveWhole  = "the whole domain (the target has no singularity)"
	AbovePoints = "the points (a run on points: mse too)"
)

// targetMetrics makes the MSEs follow the target: on the points for a
// points run; mse_above_0_01 over the whole domain for a target without
// ln's singularity at 0 (the grid covers the domain, so it is the mse).
func (t *Trainer) targetMetrics(m *Metrics) {
	switch {
	case t.cfg.Points != nil:
		m.MSE = t.pointsMSE()
		m.MSEAbove001, m.MSEAboveOn = m.MSE, AbovePoints
	case t.tgt.singular:
		m.MSEAboveOn = AboveCutLn
	default:
		m.MSEAbove001, m.MSEAboveOn = m.MSE, AboveWhole
	}
}
