package engine

import (
	"fmt"
	"math"
	"sync"
)

// A table target: the target sampled at tableCells+1 evenly spaced nodes of
// the domain and read back by linear interpolation, two loads and a
// multiply-add per sample, whatever the formula costs. It stands in for
// math.Sin, math.Exp and an expression's closure tree in the training batch
// only when its measured error is below tableTol of the target's range; the
// evaluation grid, the MSE and every text use the exact formula.
//
// Linear interpolation errs by at most h²/8·max|f”| (h the node spacing):
// for sin(2πx) on (0,1] that is 1.2e-9, 5.8e-10 of its range 2.
const (
	tableCells = 1 << 16
	tableTol   = 1e-9
)

type table struct {
	lo, scale float64   // u = (x−lo)·scale is x's position in cells
	y         []float64 // tableCells+1 nodes
}

// newTable tabulates f on [lo, hi] and measures its error at three points
// inside every cell (a quarter, half and three quarters across, where a
// smooth function's interpolation error peaks and a kink or a jump inside a
// cell shows). It returns the table and the worst error as a fraction of
// the target's range, or nil when that exceeds tableTol.
func newTable(f func(float64) float64, lo, hi float64) (*table, float64) {
	tb := &table{lo: lo, scale: tableCells / (hi - lo), y: make([]float64, tableCells+1)}
	span := hi - lo
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for i := range tb.y {
		v := f(lo + span*float64(i)/tableCells)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, math.Inf(1) // the open end may be singular: no table
		}
		tb.y[i] = v
		ymin, ymax = math.Min(ymin, v), math.Max(ymax, v)
	}
	rng := ymax - ymin
	if rng == 0 {
		rng = 1
	}
	worst := 0.0
	for i := 0; i < tableCells; i++ {
		for _, q := range [...]float64{0.25, 0.5, 0.75} {
			x := lo + span*(float64(i)+q)/tableCells
			worst = math.Max(worst, math.Abs(tb.at(x)-f(x))/rng)
		}
	}
	if !(worst <= tableTol) {
		return nil, worst
	}
	return tb, worst
}

func (tb *table) at(x float64) float64 {
	u := (x - tb.lo) * tb.scale
	i := min(max(int(u), 0), tableCells-1)
	a := tb.y[i]
	return a + (u-float64(i))*(tb.y[i+1]-a)
}

func (tb *table) fill(y, x []float64) {
	y = y[:len(x)]
	lo, scale, ty := tb.lo, tb.scale, tb.y[:tableCells+1]
	for k, v := range x {
		u := (v - lo) * scale
		i := min(max(int(u), 0), tableCells-1)
		a := ty[i]
		y[k] = a + (u-float64(i))*(ty[i+1]-a)
	}
}

// tabulated gives t a table fill on (lo, hi] when the table is within
// tableTol, and says which way its batches are computed.
func (t *target) tabulated(lo, hi float64) *target {
	tb, worst := newTable(t.f, lo, hi)
	c := *t
	if tb == nil {
		c.how = "exact"
		if !math.IsInf(worst, 0) {
			c.how = fmt.Sprintf("exact (a table would err by %.1e of the range)", worst)
		}
		return &c
	}
	c.fill = tb.fill
	c.how = fmt.Sprintf("table of %d cells, error %.1e of the range", tableCells, worst)
	return &c
}

// tables keeps the last few tabulated targets: a map or a race builds many
// trainers on the same target, and a table takes a few ms to build and check.
var tables struct {
	sync.Mutex
	keys []string
	vals []*target
}

const maxTables = 8

// batchTarget is t as training batches use it on (lo, hi].
func batchTarget(t *target, lo, hi float64) *target {
	if !t.slow {
		return t
	}
	key := t.name + "\x00" + fmtFloat(lo) + ":" + fmtFloat(hi)
	tables.Lock()
	defer tables.Unlock()
	for i, k := range tables.keys {
		if k == key {
			return tables.vals[i]
		}
	}
	c := t.tabulated(lo, hi)
	if len(tables.keys) == maxTables {
		tables.keys, tables.vals = tables.keys[1:], tables.vals[1:]
	}
	tables.keys, tables.vals = append(tables.keys, key), append(tables.vals, c)
	return c
}
