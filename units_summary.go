package main

import (
	"fmt"
	"strings"

	"lnfit/engine"
)

// unitsSummary is what the summary says about the units inside lane A's net
// (embedded in summary, so its keys sit at the top level). `units` keeps its
// meaning (units per layer); these are new.
type unitsSummary struct {
	Kinks      [][]float64  `json:"kinks"`       // per hidden layer: its units' kinks in (0,1], ascending
	UnitStates []unitState  `json:"unit_states"` // one per hidden unit, layer by layer
	Reference  referenceFit `json:"reference_fit"`
	report     engine.UnitReport
}

// unitState is one hidden unit. layer counts from 1; unit is its row in the
// layer's weights, from 0. kink: layer 1's −b/w wherever it lies (null when
// w = 0); a deeper unit's first kink in (0,1] (null: none). died_at: the
// step training saw it die (null: alive, or not recorded), died_exact whether
// that is the very step.
type unitState struct {
	Layer    int       `json:"layer"`
	Unit     int       `json:"unit"`
	Kink     jsonFloat `json:"kink"`
	LiveSide string    `json:"live_side"`
	Dead     bool      `json:"dead"`
	DiedAt   *int64    `json:"died_at"`
	// died_exact: died_at is the very step (false: the whole-grid look that
	// found it, every 1024 steps, for a deeper unit); null with died_at.
	DiedExact *bool `json:"died_exact"`
}

// referenceFit is the least-squares piecewise-linear fit of ln(x) with as
// many kinks as the net has in (0,1]: what its kinks would allow.
type referenceFit struct {
	Kinks int       `json:"kinks"`
	MSE   jsonFloat `json:"mse"`
	On    string    `json:"on"`   // "the grid", or "the points" of a points run (issue 24)
	Rule  string    `json:"rule"` // how the knots were placed for this target
}

func unitsOf(t *engine.Trainer) unitsSummary {
	r := t.Units(0)
	u := unitsSummary{report: r, Kinks: make([][]float64, len(r.Kinks)),
		Reference: referenceFit{Kinks: r.Reference.Kinks, MSE: jsonFloat(r.Reference.MSE), On: r.Reference.On, Rule: r.Reference.Rule}}
	for l, k := range r.Kinks {
		u.Kinks[l] = append([]float64{}, k...) // [] rather than null for a layer without kinks
	}
	u.UnitStates = []unitState{}
	for _, layer := range r.Layers {
		for _, x := range layer {
			s := unitState{Layer: x.Layer, Unit: x.Index, Kink: jsonFloat(x.Hinge), LiveSide: string(x.Live), Dead: x.Dead}
			if x.DiedAt >= 0 {
				at, exact := x.DiedAt, x.DiedExact
				s.DiedAt, s.DiedExact = &at, &exact
			}
			u.UnitStates = append(u.UnitStates, s)
		}
	}
	return u
}

// writeUnitsText adds the summary's kinks line: how many kinks the net has in
// the domain dom, and what the best line with as many kinks reaches.
func writeUnitsText(b *strings.Builder, u unitsSummary, dom string) {
	r := &u.report
	if len(r.Layers) == 0 {
		return
	}
	if !r.Linear {
		fmt.Fprintf(b, "kinks         none: %s units are smooth\n", r.Activation)
		return
	}
	parts := []string{fmt.Sprintf("layer 1: %d of %d units kink there, %d dead", r.InDomain(0), len(r.Layers[0]), r.Dead(0))}
	for l := 1; l < len(r.Layers); l++ {
		parts = append(parts, fmt.Sprintf("layer %d: %d kinks, %d of %d dead", l+1, len(r.Kinks[l]), r.Dead(l), len(r.Layers[l])))
	}
	if r.ExactLayers < len(r.Layers) {
		parts = append(parts, fmt.Sprintf("layers %d… too large to search", r.ExactLayers+1))
	}
	fmt.Fprintf(b, "kinks         %d in %s · %s\n", r.NetKinks, dom, strings.Join(parts, " · "))
	fmt.Fprintf(b, "reference     the best %d-kink line reaches mse %s on %s (%s); the net %s\n",
		r.Reference.Kinks, engine.FormatValue(r.Reference.MSE), r.Reference.On, r.Reference.Rule, engine.FormatValue(r.MSE))
}
