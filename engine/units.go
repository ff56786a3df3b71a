package engine

import (
	"math"
	"slices"
)

// For a 1-D input a ReLU net is exact and small: a first-layer unit
// relu(w·x + b) is a hinge with its kink at x = −b/w, live on one side; a
// deeper unit's pre-activation is piecewise linear in x, with pieces between
// the kinks of the layers below, so its zero crossings are found exactly,
// piece by piece. Units copies all of that out, per hidden unit.

// Side says where in (0,1] a hidden unit is live (its output above zero).
type Side string

const (
	SideBoth   Side = "both"   // live at both ends of (0,1] (layer 1: on all of it; deeper: maybe with gaps between kinks)
	SideLeft   Side = "left"   // live at the left end (toward 0), not at x = 1
	SideRight  Side = "right"  // live at x = 1, not toward 0
	SideMiddle Side = "middle" // live only between two of its kinks (deeper layers)
	SideNone   Side = "none"   // live nowhere in (0,1]
	SideSmooth Side = "smooth" // tanh, sigmoid: no kink, never exactly zero
)

// DefaultPlotPoints is a good number of points for Unit.Out: more than any
// plot has columns.
const DefaultPlotPoints = 200

// kinkWork bounds the piece-by-piece search (multiply-adds): the question's
// net takes about 35 thousand; a net of 16 layers of 4096 units would take
// forever, so layers past the bound get no kinks (UnitReport.ExactLayers).
const kinkWork = 20_000_000

// Unit is one hidden unit, as the units room and --json show it.
type Unit struct {
	Layer int // hidden layer, from 1
	Index int // the unit's row in its layer's weights, from 0
	// Hinge: layer 1's −b/w wherever it lies (NaN when w = 0), so the room can
	// show a kink left of 0; a deeper unit's first kink in (0,1] (NaN: none).
	Hinge float64
	Kinks []float64 // every kink in (0,1], ascending: where its pre-activation changes sign
	Live  Side
	Dead  bool // ≤ 0 on every grid point, as Metrics.Dead counts
	// DiedAt is the step training saw the unit die (-1: not recorded, or not
	// dead). Layer 1 is exact; a deeper unit is exact while everything below
	// it is dead, else "by" a whole-grid look (DiedExact false).
	DiedAt    int64
	DiedExact bool
	// Contribution is the mean over the grid of |a(x)·g(x)|, where a(x) is
	// the unit's output and g(x) = ∂net/∂a at x (the sum over its paths to the
	// output of the weights times the downstream units' slopes: its
	// |w3-path|). For ReLU and leaky ReLU a·g is exactly the unit's additive
	// share of net(x), so a unit that feeds only dead units counts 0.
	Contribution float64
	Out          []float64 // its output at the report's PlotX
}

// UnitReport is every hidden unit of one lane, plain data.
type UnitReport struct {
	Step       int64
	Activation string
	Linear     bool        // ReLU or leaky ReLU: kinks and live sides are exact
	PlotX      []float64   // where Unit.Out is sampled: (c+0.5)/P, c = 0…P−1
	Lo, Hi     float64     // the domain (Lo, Hi] the kinks are counted on and PlotX spans
	Closed     bool        // a points run: the domain is [Lo, Hi], Lo being the smallest point
	Layers     [][]Unit    // per hidden layer, in weight order
	Kinks      [][]float64 // per hidden layer: its units' kinks in (0,1], ascending
	NetKinks   int         // distinct kink positions in (0,1] over all hidden layers
	// ExactLayers is how many hidden layers got their kinks (all but for a
	// huge net, see kinkWork); the others' live sides are read at the grid's ends.
	ExactLayers int
	MSE         float64 // the net's on the grid (on the points for a points run), as Metrics.MSE
	Reference   ReferenceFit
}

// Dead counts a layer's dead units (l from 0).
func (r *UnitReport) Dead(l int) int {
	n := 0
	for _, u := range r.Layers[l] {
		if u.Dead {
			n++
		}
	}
	return n
}

// InDomain counts a layer's units with at least one kink in (0,1].
func (r *UnitReport) InDomain(l int) int {
	n := 0
	for _, u := range r.Layers[l] {
		if len(u.Kinks) > 0 {
			n++
		}
	}
	return n
}

// Units copies out every hidden unit: kinks, live side, death, contribution
// and its output at plotPoints points of (0,1] (≤ 0: none, for a summary).
// Like Metrics, it changes nothing about the run.
func (t *Trainer) Units(plotPoints int) UnitReport {
	plotPoints = min(plotPoints, 100_000)
	net := t.net
	nh := len(net.Layers) - 1
	r := UnitReport{Step: t.rec.step, Activation: t.act.String(), Linear: t.act == ReLU || t.act == LeakyReLU,
		Lo: t.cfg.DomainLo, Hi: t.cfg.Hi(), Closed: t.cfg.Points != nil}
	r.Layers = make([][]Unit, nh)
	r.Kinks = make([][]float64, nh)

	pred := net.forward(t.evalWS, GridPoints, false)
	var sse float64
	for i, p := range pred {
		d := p - t.gridY[i]
		sse += d * d
	}
	r.MSE = sse / GridPoints
	share := t.shares()
	for l := 0; l < nh; l++ {
		O := net.Layers[l].Out
		r.Layers[l] = make([]Unit, O)
		for k := range r.Layers[l] {
			u := Unit{Layer: l + 1, Index: k, Hinge: math.NaN(), Live: SideSmooth, DiedAt: -1}
			u.Dead = t.act != Tanh && t.act != Sigmoid && gridDead(t.evalWS.z[l], O, k)
			if at, exact, ok := t.unitDiedAt(l, k); ok && u.Dead {
				u.DiedAt, u.DiedExact = at, exact
			}
			u.Contribution = share[l][k]
			r.Layers[l][k] = u
		}
	}
	if r.Linear {
		t.kinks(&r)
	}
	distinct := map[float64]bool{}
	for l := range r.Layers {
		for _, u := range r.Layers[l] {
			r.Kinks[l] = append(r.Kinks[l], u.Kinks...)
			for _, x := range u.Kinks {
				distinct[x] = true
			}
		}
		slices.Sort(r.Kinks[l])
	}
	r.NetKinks = len(distinct)
	r.Reference = t.referenceFit(r.NetKinks)
	if t.cfg.Points != nil { // the net against the points, as the reference is
		r.MSE = t.pointsMSE()
	}
	if plotPoints > 0 {
		t.unitOutputs(&r, plotPoints)
	}
	return r
}

// shares runs the grid backward from the output, unit by unit: per hidden
// layer and unit, the mean over the grid of |a(x)·∂net/∂a(x)|. Call after a
// forward pass on the grid.
func (t *Trainer) shares() [][]float64 {
	net := t.net
	nh := len(net.Layers) - 1
	out := make([][]float64, nh)
	gain := make([][]float64, nh) // per layer: ∂net/∂a at one grid point
	slope := make([][]float64, nh)
	for l := range out {
		out[l] = make([]float64, net.Layers[l].Out)
		gain[l] = make([]float64, net.Layers[l].Out)
		slope[l] = make([]float64, net.Layers[l].Out)
	}
	for b := 0; b < GridPoints; b++ {
		copy(gain[nh-1], net.Layers[nh].W) // the output layer: one row
		for l := nh - 1; l >= 0; l-- {
			O := net.Layers[l].Out
			z := t.evalWS.z[l][b*O : b*O+O]
			a := t.evalWS.a[l][b*O : b*O+O]
			for k := range O {
				out[l][k] += math.Abs(a[k] * gain[l][k])
			}
			if l == 0 {
				break
			}
			activationBackward(t.act, slope[l], gain[l], z, a) // slope = g·φ'(z)
			below := gain[l-1]
			clear(below)
			W := net.Layers[l].W
			I := net.Layers[l].In
			for j, g := range slope[l] {
				if g != 0 {
					axpy(below, g, W[j*I:j*I+I])
				}
			}
		}
	}
	for l := range out {
		for k := range out[l] {
			out[l][k] /= GridPoints
		}
	}
	return out
}

// affine is a unit's pre-activation s·x + c on one piece.
type affine struct{ s, c float64 }

// kinks fills every unit's kinks and live side, layer by layer: the pieces
// for layer l are cut at the kinks of the layers below, where every lower
// unit is affine, so layer l's pre-activation is affine on each piece too.
func (t *Trainer) kinks(r *UnitReport) {
	net := t.net
	nh := len(net.Layers) - 1
	L0 := net.Layers[0]
	for k := range r.Layers[0] {
		if w := L0.W[k]; w != 0 {
			r.Layers[0][k].Hinge = -L0.B[k] / w
		}
	}
	dlo, dhi := t.cfg.DomainLo, t.cfg.Hi() // the domain, (0,1] by default (issue 24)
	cuts := []float64{dlo, dhi}
	work, params := 0, 0
	for l := 0; l < nh; l++ {
		O := net.Layers[l].Out
		params += len(net.Layers[l].W)
		if work += (len(cuts) - 1) * params; work > kinkWork {
			t.sidesAtEnds(r, l)
			return
		}
		r.ExactLayers = l + 1
		live := make([][][2]float64, O) // per unit: its live intervals, merged
		cur := make([]affine, O)
		for p := 0; p+1 < len(cuts); p++ {
			lo, hi := cuts[p], cuts[p+1]
			if !(hi > lo) {
				continue
			}
			t.affineAt((lo+hi)/2, l, cur)
			for k, f := range cur {
				a, b, ok := positivePart(f, lo, hi)
				if !ok {
					continue
				}
				iv := live[k]
				if n := len(iv); n > 0 && iv[n-1][1] == a {
					iv[n-1][1] = b
				} else {
					iv = append(iv, [2]float64{a, b})
				}
				live[k] = iv
			}
		}
		for k := range r.Layers[l] {
			u := &r.Layers[l][k]
			u.Live, u.Kinks = sideAndKinks(live[k], dlo, dhi)
			if l > 0 && len(u.Kinks) > 0 {
				u.Hinge = u.Kinks[0]
			}
		}
		for _, u := range r.Layers[l] {
			for _, x := range u.Kinks {
				if x < 1 {
					cuts = append(cuts, x)
				}
			}
		}
		slices.Sort(cuts)
		cuts = slices.Compact(cuts)
	}
}

// sidesAtEnds reads the live side of layers l… from the grid's two ends,
// for a net too large for the exact search. Call after a forward pass.
func (t *Trainer) sidesAtEnds(r *UnitReport, from int) {
	for l := from; l < len(r.Layers); l++ {
		O := t.net.Layers[l].Out
		z := t.evalWS.z[l]
		for k := range r.Layers[l] {
			left, right := z[k] > 0, z[(GridPoints-1)*O+k] > 0
			side := SideNone
			switch {
			case left && right:
				side = SideBoth
			case left:
				side = SideLeft
			case right:
				side = SideRight
			}
			r.Layers[l][k].Live = side
		}
	}
}

// affineAt writes layer l's pre-activations as affine functions of x on the
// piece holding m (every lower unit keeps its sign on that piece).
func (t *Trainer) affineAt(m float64, l int, out []affine) {
	var below []affine
	for i := 0; i <= l; i++ {
		L := t.net.Layers[i]
		cur := out
		if i < l {
			cur = make([]affine, L.Out)
		}
		for j := range L.Out {
			f := affine{c: L.B[j]}
			if i == 0 {
				f.s = L.W[j]
			} else {
				for k, g := range below {
					w := L.W[j*L.In+k]
					f.s += w * g.s
					f.c += w * g.c
				}
			}
			cur[j] = f
		}
		if i == l {
			return
		}
		for j, f := range cur { // the activation on this piece: a slope factor
			if !(f.c+f.s*m > 0) {
				k := 0.0
				if t.act == LeakyReLU {
					k = LeakySlope
				}
				cur[j] = affine{s: k * f.s, c: k * f.c}
			}
		}
		below = cur
	}
}

// positivePart is where s·x + c > 0 within (lo, hi), as an interval.
func positivePart(f affine, lo, hi float64) (a, b float64, ok bool) {
	switch {
	case f.s == 0:
		return lo, hi, f.c > 0
	case f.s > 0:
		a = max(lo, -f.c/f.s)
		return a, hi, a < hi
	default:
		b = min(hi, -f.c/f.s)
		return lo, b, b > lo
	}
}

// sideAndKinks reads a unit's merged live intervals in the domain [dlo, dhi]: its kinks are
// their ends inside it, and the side is which ends of the domain it is live at.
func sideAndKinks(iv [][2]float64, dlo, dhi float64) (Side, []float64) {
	if len(iv) == 0 {
		return SideNone, nil
	}
	var kinks []float64
	for _, p := range iv {
		for _, x := range p {
			if x > dlo && x < dhi {
				kinks = append(kinks, x)
			}
		}
	}
	left, right := iv[0][0] == dlo, iv[len(iv)-1][1] == dhi
	switch {
	case left && right:
		return SideBoth, kinks
	case left:
		return SideLeft, kinks
	case right:
		return SideRight, kinks
	}
	return SideMiddle, kinks
}

// unitOutputs fills every unit's output at plotPoints midpoints of (0,1].
func (t *Trainer) unitOutputs(r *UnitReport, P int) {
	ws := newEvalWorkspace(t.net.Sizes, P)
	r.PlotX = make([]float64, P)
	for c := range P {
		r.PlotX[c] = t.cfg.DomainLo + (t.cfg.Hi()-t.cfg.DomainLo)*((float64(c)+0.5)/float64(P)) // (c+0.5)/P on (0,1]
	}
	copy(ws.x, r.PlotX)
	t.net.forward(ws, P, false)
	for l := range r.Layers {
		O := t.net.Layers[l].Out
		for k := range r.Layers[l] {
			out := make([]float64, P)
			for c := range out {
				out[c] = ws.a[l][c*O+k]
			}
			r.Layers[l][k].Out = out
		}
	}
}
