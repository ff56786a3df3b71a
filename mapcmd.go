package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/colorprofile"

	"lnfit/engine"
	"lnfit/engine/collapse"
	"lnfit/tui"
)

// mapCommand is `lnfit --headless --map AXES`: the collapse map over two
// settings, as a heat map (text) or one JSON object.
func mapCommand(ctx context.Context, st start, o *options, env environment) error {
	axes, err := collapse.ParseAxes(o.mapAxes)
	if err != nil {
		return usagef("--map: %v", err)
	}
	if st.lesson != nil || len(st.lanes) > 0 || st.net != nil { // the flags are refused by rules.go; a token's lanes here
		return usagef("--map trains its own short runs: it goes with neither --lesson, --compare nor --load (nor a --config token with lanes)")
	}
	spec := collapse.Spec{Base: st.config, Axes: axes, Seeds: o.seeds, Steps: o.steps}
	if err := spec.Check(); err != nil {
		return usagef("--map: %v", err)
	}
	var bar *progressBar
	if env.stderrTTY {
		bar = &progressBar{w: env.stderr, total: int64(spec.Runs())}
	}
	start := time.Now()
	m, err := collapse.Compute(ctx, spec, 0, func(done, total int) {
		if bar != nil {
			bar.drawRuns(int64(done), time.Since(start))
		}
	})
	if bar != nil {
		bar.clear()
	}
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("--map: interrupted; no map")
		}
		return usagef("--map: %v", err)
	}
	elapsed := time.Since(start)
	label := st.label
	if o.json {
		if err := json.NewEncoder(env.stdout).Encode(mapJSON(m, label, elapsed)); err != nil {
			return fmt.Errorf("writing the map: %v", err)
		}
		return nil
	}
	profile := colorprofile.NoTTY
	if env.stdoutTTY {
		profile = colorprofile.Detect(osStdout(env), envList())
	}
	style := tui.NewMapStyle(profile)
	style.MarkX, style.MarkY = markedCell(m, st.config)
	title := fmt.Sprintf("collapse map · %s (%s, %s, init %s) · %d seeds × up to %s steps a run · %s runs in %.1f s",
		label, st.config.Optimizer, st.config.Activation, st.config.Init, spec.Seeds, engine.Commas(spec.Steps),
		engine.Commas(int64(spec.Runs())), elapsed.Seconds())
	if _, err := fmt.Fprintln(env.stdout, tui.RenderMap(m, title, 160, style)); err != nil {
		return fmt.Errorf("writing the map: %v", err)
	}
	return nil
}

// markedCell is the cell of the configuration the map started from, or
// (-1, -1) when its values lie outside the axes.
func markedCell(m *collapse.Map, c engine.Config) (int, int) {
	v := func(a collapse.Axis) (float64, bool) {
		var f float64
		_, err := fmt.Sscan(a.Setting.Get(c), &f)
		return f, err == nil && f >= a.Lo*(1-1e-9) && f <= a.Hi*(1+1e-9)
	}
	xv, okx := v(m.Spec.Axes[0])
	yv, oky := v(m.Spec.Axes[1])
	if !okx || !oky {
		return -1, -1
	}
	return tui.NearestCell(m, xv, yv)
}

// mapJSON is the --json form: axes and cells, each cell under the settings' JSON names.
func mapJSON(m *collapse.Map, label string, elapsed time.Duration) map[string]any {
	var axes []map[string]any
	for _, a := range m.Spec.Axes {
		scale := "linear"
		if a.Log {
			scale = "log"
		}
		axes = append(axes, map[string]any{"setting": a.Setting.Name, "json": a.Setting.JSON, "lo": a.Lo, "hi": a.Hi,
			"count": a.Count, "scale": scale, "values": a.Values})
	}
	var cells []map[string]any
	var steps int64
	for y := range m.Cells {
		for _, c := range m.Cells[y] {
			cell := map[string]any{
				m.Spec.Axes[0].Setting.JSON: c.X, m.Spec.Axes[1].Setting.JSON: c.Y, "runs": c.Runs,
				"median_mse_above_0_01": jsonFloat(c.MedianMSE),
			}
			for o, name := range collapse.OutcomeNames {
				cell[name] = c.Counts[o]
			}
			steps += c.Steps
			cells = append(cells, cell)
		}
	}
	base := map[string]any{}
	for _, st := range engine.Settings() {
		base[st.JSON] = st.JSONValue(m.Spec.Base)
	}
	return map[string]any{"preset": label, "config": base, "axes": axes, "seeds": m.Spec.Seeds, "steps": m.Spec.Steps,
		"runs": m.Spec.Runs(), "steps_trained": steps, "elapsed_s": elapsed.Seconds(), "cells": cells,
		"converged_below": collapse.ConvergedMSE}
}

// drawRuns is the progress bar for a map: runs instead of steps.
func (p *progressBar) drawRuns(done int64, el time.Duration) {
	if time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	const width = 30
	frac := math.Min(float64(done)/math.Max(float64(p.total), 1), 1)
	fill := int(frac * width)
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%% %s/%s runs · %.1f s\x1b[K", strings.Repeat("█", fill), strings.Repeat("·", width-fill),
		100*frac, engine.Commas(done), engine.Commas(p.total), el.Seconds())
}
