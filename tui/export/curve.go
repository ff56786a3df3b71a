package export

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"lnfit/engine"
)

// unitOutputs applies the hidden activation to each hidden layer's grid
// pre-activations: the units' outputs, a column each. (The same formulas
// as the engine's forward pass.)
func unitOutputs(views []engine.LayerView, act string) []Unit {
	var units []Unit
	for l, v := range views[:len(views)-1] {
		n := len(v.Z) / v.Out
		for j := 0; j < v.Out; j++ {
			out := make([]float64, n)
			for b := range out {
				out[b] = activate(act, v.Z[b*v.Out+j])
			}
			units = append(units, Unit{Layer: l + 1, Index: j + 1, Out: out})
		}
	}
	return units
}

func activate(act string, z float64) float64 {
	switch act {
	case "relu":
		return max(z, 0)
	case "leaky-relu":
		if z > 0 {
			return z
		}
		return 0.01 * z
	case "tanh":
		return math.Tanh(z)
	case "sigmoid":
		return 1 / (1 + math.Exp(-z))
	}
	return math.NaN()
}

// kinks are where a first-layer unit's pre-activation w·x + b crosses zero
// inside the domain (lo, hi]: there a ReLU net's curve bends. Smooth
// activations have none.
func kinks(views []engine.LayerView, act string, lo, hi float64) []float64 {
	if act != "relu" && act != "leaky-relu" || len(views) < 2 {
		return nil
	}
	v := views[0]
	var xs []float64
	for j := 0; j < v.Out; j++ {
		w, b := v.W[j], v.B[j]
		if w == 0 {
			continue
		}
		if x := -b / w; x > lo && x <= hi {
			xs = append(xs, x)
		}
	}
	slices.Sort(xs)
	return xs
}

// CurveColumns names the curve file's columns: x, target, then net (or
// net_A, net_B, … in a race), then each unit's output when captured
// (h1_1 … h2_10, with _A, _B in a race).
func (r Run) CurveColumns() []string {
	cols := []string{"x", "target"}
	for _, l := range r.Lanes {
		cols = append(cols, r.laneCol("net", l.Name))
	}
	for _, l := range r.Lanes {
		for _, u := range l.Units {
			cols = append(cols, r.laneCol(fmt.Sprintf("h%d_%d", u.Layer, u.Index), l.Name))
		}
	}
	return cols
}

func (r Run) laneCol(name, lane string) string {
	if r.Racing() {
		if name == "net" {
			return "net_" + lane
		}
		return name + "_" + lane
	}
	return name
}

// WriteCurveCSV writes the curve on the evaluation grid, a row a point.
func WriteCurveCSV(w io.Writer, r Run) error {
	if len(r.Lanes) == 0 {
		return fmt.Errorf("no lanes to write")
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(strings.Join(r.CurveColumns(), ",") + "\n")
	s0 := r.Lanes[0].Snap
	row := make([]string, 0, len(r.CurveColumns()))
	for i, x := range s0.GridX {
		row = append(row[:0], num(x), num(s0.Target[i]))
		for _, l := range r.Lanes {
			row = append(row, num(l.Snap.Pred[i]))
		}
		for _, l := range r.Lanes {
			for _, u := range l.Units {
				row = append(row, num(u.Out[i]))
			}
		}
		bw.WriteString(strings.Join(row, ",") + "\n")
	}
	return bw.Flush()
}
