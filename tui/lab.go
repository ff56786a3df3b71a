package tui

import (
	"fmt"
	"math"
	"strings"

	"charm.land/lipgloss/v2"

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
	stepped := !math.IsNaN(mt.LastLoss) // no step since the start, a reset or a load: no gradient or step to show
	figure := func(v float64) string {
		if !stepped {
			return "—"
		}
		return engine.FormatValue(v)
	}
	// The rows first, then the layout that keeps every figure whole: the
	// min and max columns go first on a narrow screen, then the died-at
	// note's words ("(at step 2)"), never the figure.
	type labRow struct {
		name, hist, extra, short string
		lo, hi, pos              float64
		grad                     string // the line below a layer: its gradient ("" for a z row)
	}
	var rows []labRow
	for l, lv := range f.lab {
		hw, wlo, whi, wpos := bars(lv.W, barW)
		extra := ""
		if l < len(mt.UpdateRatio) {
			extra = "‖ΔW‖/‖W‖ " + figure(mt.UpdateRatio[l])
		}
		rows = append(rows, labRow{name: fmt.Sprintf("W%d", l+1), hist: hw, lo: wlo, hi: whi, pos: wpos, extra: extra, short: extra})
		if len(lv.Z) > 0 {
			zh, zlo, zhi, zpos := bars(lv.Z, barW)
			died, short := "", ""
			if l < len(mt.Dead) {
				died = fmt.Sprintf("dead %d/%d", mt.Dead[l], mt.Units[l])
				short = died
				if l < len(mt.DiedAt) && mt.DiedAt[l] > 0 {
					word := "by"
					if l < len(mt.DiedExact) && mt.DiedExact[l] {
						word = "at"
					}
					died += " (all dead " + word + " step " + engine.Commas(mt.DiedAt[l]) + ")"
					short += " (" + word + " step " + engine.Commas(mt.DiedAt[l]) + ")"
				}
			}
			rows = append(rows, labRow{name: fmt.Sprintf("z%d(x)", l+1), hist: zh, lo: zlo, hi: zhi, pos: zpos, extra: died, short: short})
		}
		grad := ""
		if l < len(mt.LayerGrad) {
			grad = "‖∇‖ " + figure(mt.LayerGrad[l])
		}
		if l < len(mt.AdamM) {
			grad += fmt.Sprintf(" · adam |m̂| %s √v̂ %s", engine.FormatValue(mt.AdamM[l]), engine.FormatValue(mt.AdamV[l]))
		}
		rows[len(rows)-1].grad = "        " + grad
	}
	wide := func(r labRow) string {
		return fmt.Sprintf(" %-6s %9s %s %-9s  %3.0f%% > 0  %s", r.name, engine.FormatValue(r.lo), r.hist, engine.FormatValue(r.hi), 100*r.pos, r.extra)
	}
	narrow := func(r labRow) string {
		return fmt.Sprintf(" %-6s %s  %3.0f%% > 0  %s", r.name, r.hist, 100*r.pos, r.extra)
	}
	fits := func(draw func(labRow) string, rows []labRow) bool {
		for _, r := range rows {
			if lipgloss.Width(draw(r)) > w {
				return false
			}
		}
		return true
	}
	draw, head := wide, fmt.Sprintf(" %-6s %9s %-*s %-9s  %7s  %s", "", "min", barW, "histogram", "max", "", "last step")
	if !fits(wide, rows) {
		draw, head = narrow, fmt.Sprintf(" %-6s %-*s  %7s  %s", "", barW, "histogram", "", "last step")
		if !fits(narrow, rows) {
			for i := range rows {
				rows[i].extra = rows[i].short
			}
		}
	}
	// A short screen: each layer's ‖∇‖ joins its W row where every row
	// still fits, so the last layer is on screen too (60×16).
	below := len(f.lab) // a ‖∇‖ line a layer, and a blank one on a tall screen
	if h > 20 {
		below *= 2
	}
	if len(lines)+1+len(rows)+below > h {
		merged := append([]labRow(nil), rows...)
		for i := range merged {
			if merged[i].grad == "" || strings.TrimSpace(merged[i].grad) == "" {
				continue
			}
			j := i
			if strings.HasPrefix(merged[i].name, "z") {
				j = i - 1 // the layer's W row
			}
			merged[j].extra += " · " + strings.TrimSpace(merged[i].grad)
			merged[i].grad = ""
		}
		if fits(draw, merged) {
			rows = merged
		}
	}
	lines = append(lines, st.Dim.Render(head))
	for _, r := range rows {
		lines = append(lines, draw(r))
		if r.grad != "" {
			lines = append(lines, st.Dim.Render(r.grad))
			if h > 20 { // a short screen gives the blank lines to the notes
				lines = append(lines, "")
			}
		}
	}
	// The notes, most telling first, each whole or not at all: what layer
	// 1 does now, where the output stands, what the rows are (a legend
	// gives way before a figure: the timeline's line takes a row).
	var notes []string
	if len(f.lab) > 0 {
		notes = append(notes, firstLayerNote(f.lab[0])...)
	}
	notes = append(notes, fmt.Sprintf("Mean prediction %s; the best constant (the mean of ln x over the sampled range) %s.",
		engine.Signed(mt.MeanPred), engine.Signed(s.BestConstant)),
		"W: weights; z(x): pre-activations on the 1000 grid points.")
	room := h - len(lines)
	text := ""
	for _, n := range onDomain(notes, s.Config) {
		if room < 1 {
			break
		}
		try := strings.TrimSpace(text + " " + n)
		if len(wrapWords(try, w-2, room+1)) > room {
			break
		}
		text = try
	}
	if text != "" {
		for _, l := range wrapWords(text, w-2, room) {
			lines = append(lines, st.Dim.Render(" "+l))
		}
	}
	return block(strings.Join(lines, "\n"), w, h)
}

// firstLayerNote says, from layer 1's weights now, what its units do on
// (0,1]. z1 = w·x + b is a line in x, so its ends z(0) = b and z(1) = w + b
// tell it: a unit on at both ends fires everywhere (a straight piece, alike
// for all x), off at both is dead (no gradient ever), and one that changes
// sign has its kink inside, where the curve can bend.
func firstLayerNote(lv engine.LayerView) []string {
	if lv.In != 1 || len(lv.W) != lv.Out || len(lv.B) != lv.Out || lv.Out == 0 {
		return nil
	}
	var wPos, bPos, on, dead, bend int
	lo, hi := lv.Lo, lv.Hi
	if !(hi > lo) { // a view without its domain: the question's
		lo, hi = 0, 1
	}
	for o := 0; o < lv.Out; o++ {
		w, b := lv.W[o], lv.B[o]
		if w > 0 {
			wPos++
		}
		if b > 0 {
			bPos++
		}
		z0, z1 := w*lo+b, w*hi+b // the domain's ends: b and w+b on (0,1]
		switch {
		case z0 > 0 && z1 > 0:
			on++
		case z0 <= 0 && z1 <= 0:
			dead++
		default:
			bend++
		}
	}
	n := lv.Out
	verb := func(k int, one, many string) string { // "1 is dead", "2 are dead"
		if k == 1 {
			return one
		}
		return many
	}
	head := fmt.Sprintf("W1 is %d%% > 0 now (b1 %d%%): of %d units, %d %s on all of (0,1], %d %s inside it, %d %s dead.",
		100*wPos/n, 100*bPos/n, n, on, verb(on, "fires", "fire"), bend, verb(bend, "bends", "bend"), dead, verb(dead, "is", "are"))
	why := "Each unit that bends puts a kink where the curve can turn toward ln x; dead ones get no gradient."
	switch {
	case dead == n:
		why = "Every unit is off for every x, so no gradient reaches W1 again: the output is a constant."
	case on == n && wPos == n && bPos == n:
		why = "Every w and b > 0 (as U[0,1) draws them), so every z1 > 0 and all units fire alike: one straight line on (0,1]."
	case on == n:
		why = "Every unit fires for every x, so layer 1 is linear on (0,1]: no kink there to bend toward ln x."
	case bend == 0:
		why = "No unit has its kink inside (0,1]: the live ones are linear there, the dead ones get no gradient."
	}
	return []string{head, why}
}

// onDomain writes the notes for the run's own domain and target: "(0,1]"
// and "ln x" are the question's words.
func onDomain(notes []string, c engine.Config) []string {
	out := make([]string, len(notes))
	for i, n := range notes {
		out[i] = strings.ReplaceAll(strings.ReplaceAll(n, "(0,1]", engine.DomainText(c)), "ln x", engine.TargetWords(c))
	}
	return out
}
