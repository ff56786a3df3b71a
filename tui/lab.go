package tui

import (
	"fmt"
	"math"
	"strings"

	"lnfit/engine"
)

// bars draws a histogram of v in width cells with block characters, and
// says how much of it is above zero.
func bars(v []float64, width int) (string, float64, float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	pos := 0
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		lo, hi = math.Min(lo, x), math.Max(hi, x)
		if x > 0 {
			pos++
		}
	}
	if width < 1 || math.IsInf(lo, 0) {
		return "", math.NaN(), math.NaN(), math.NaN()
	}
	counts := make([]int, width)
	span := hi - lo
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		i := 0
		if span > 0 {
			i = min(int((x-lo)/span*float64(width)), width-1)
		}
		counts[i]++
	}
	most := 0
	for _, c := range counts {
		most = max(most, c)
	}
	const ramp = " ▁▂▃▄▅▆▇█"
	runes := []rune(ramp)
	var b strings.Builder
	for _, c := range counts {
		k := 0
		if c > 0 {
			k = 1 + c*(len(runes)-2)/most
		}
		b.WriteRune(runes[k])
	}
	return b.String(), lo, hi, float64(pos) / float64(len(v))
}

// labRoom is the init lab: it has no state of its own but its size.
type labRoom struct{ w, h int }

func (r *labRoom) SetSize(w, h int) { r.w, r.h = w, h }

// View shows, per layer, the weights and (hidden layers) the
// pre-activations on the grid as histograms, with how much is positive, the
// dead units and when the layer died, and the last step's size.
func (r *labRoom) View(f *frame, st styles) string {
	w, h := r.w, r.h
	s := f.snap()
	mt := s.Metrics
	barW := max(w-78, 8)
	lines := []string{st.Title.Render(" init lab") + st.Dim.Render(fmt.Sprintf("  lane %c · init %s · step %s · h closes",
		'A'+f.sel, s.Config.Init, engine.Commas(s.Step))), ""}
	row := func(name, hist string, lo, hi, pos float64, extra string) string {
		return fmt.Sprintf(" %-6s %9s %s %-9s  %3.0f%% > 0  %s", name, engine.FormatValue(lo), hist, engine.FormatValue(hi), 100*pos, extra)
	}
	for l, lv := range f.lab {
		hw, wlo, whi, wpos := bars(lv.W, barW)
		extra := ""
		if l < len(mt.UpdateRatio) {
			extra = "step/weight " + engine.FormatValue(mt.UpdateRatio[l])
		}
		lines = append(lines, row(fmt.Sprintf("W%d", l+1), hw, wlo, whi, wpos, extra))
		if len(lv.Z) > 0 {
			zh, zlo, zhi, zpos := bars(lv.Z, barW)
			died := ""
			if l < len(mt.Dead) {
				died = fmt.Sprintf("dead %d/%d", mt.Dead[l], mt.Units[l])
				if l < len(mt.DiedAt) && mt.DiedAt[l] > 0 {
					word := "by"
					if l < len(mt.DiedExact) && mt.DiedExact[l] {
						word = "at"
					}
					died += " (all dead " + word + " step " + engine.Commas(mt.DiedAt[l]) + ")"
				}
			}
			lines = append(lines, row(fmt.Sprintf("z%d(x)", l+1), zh, zlo, zhi, zpos, died))
		}
		grad := ""
		if l < len(mt.LayerGrad) {
			grad = "‖∇‖ " + engine.FormatValue(mt.LayerGrad[l])
		}
		if l < len(mt.AdamM) {
			grad += fmt.Sprintf(" · adam |m̂| %s √v̂ %s", engine.FormatValue(mt.AdamM[l]), engine.FormatValue(mt.AdamV[l]))
		}
		lines = append(lines, st.Dim.Render("        "+grad), "")
	}
	notes := fmt.Sprintf("mean prediction %s · best constant (the mean of ln x over the sampled range) %s. ",
		engine.FormatValue(mt.MeanPred), engine.FormatValue(s.BestConstant)) +
		"W: weights; z(x): pre-activations on the 1000 grid points. U[0,1) makes every W > 0, so every z1 > 0 and all units fire alike."
	for _, l := range wrapWords(notes, w-2, 3) {
		lines = append(lines, st.Dim.Render(" "+l))
	}
	return block(strings.Join(lines, "\n"), w, h)
}
