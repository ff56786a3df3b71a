package tui

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"lnfit/engine"
)

// The units room's body: every hidden unit, one per line (two where there is
// room: a taller plot), first layer sorted by kink, then the deeper layers;
// columns side by side on a wide screen, pages when it does not fit.

// unitEntry is one line (or two) of the room: a layer's heading or a unit.
type unitEntry struct {
	layer int // from 0
	unit  *engine.Unit
}

// unitOrder is the room's order: layer by layer; within a layer by kink
// (layer 1's −b/w, a deeper unit's first kink in the domain), units without one last.
func unitOrder(r *engine.UnitReport) []unitEntry {
	var out []unitEntry
	for l := range r.Layers {
		out = append(out, unitEntry{layer: l})
		us := make([]*engine.Unit, len(r.Layers[l]))
		for i := range r.Layers[l] {
			us[i] = &r.Layers[l][i]
		}
		slices.SortStableFunc(us, func(a, b *engine.Unit) int {
			an, bn := math.IsNaN(a.Hinge), math.IsNaN(b.Hinge)
			switch {
			case an != bn:
				if an {
					return 1
				}
				return -1
			case !an && a.Hinge != b.Hinge:
				if a.Hinge < b.Hinge {
					return -1
				}
				return 1
			}
			return a.Index - b.Index
		})
		for _, u := range us {
			out = append(out, unitEntry{layer: l, unit: u})
		}
	}
	return out
}

// unitsCols is the width of each field of a unit's line.
type unitsCols struct {
	name, died, spark int
	share             bool
}

const (
	unitsKinkW  = 9 // "0.00485+2"
	unitsSideW  = 6
	unitsShareW = 8
)

func unitsLayout(r *engine.UnitReport, w int) unitsCols {
	c := unitsCols{share: true}
	most := 1
	for _, l := range r.Layers {
		most = max(most, len(l))
	}
	c.name = 1 + len(fmt.Sprint(most-1))
	for l := range r.Layers {
		for i := range r.Layers[l] {
			c.died = max(c.died, cells(unitsDiedText(&r.Layers[l][i])))
		}
	}
	c.died = max(c.died, 4)
	fixed := func() int {
		n := 2 + c.name + 1 + unitsKinkW + 1 + unitsSideW + 1 + 2 // glyph, name, kink, side, the plot's two edges
		if c.died > 0 {
			n += c.died + 1
		}
		if c.share {
			n += unitsShareW + 1
		}
		return n
	}
	if w-fixed() < 12 {
		c.died = 0
	}
	if w-fixed() < 12 {
		c.share = false
	}
	c.spark = max(1, w-fixed())
	return c
}

// unitLines draws one unit in rows lines of exactly w cells.
func unitLines(r *engine.UnitReport, u *engine.Unit, c unitsCols, w, rows int, st styles) []string {
	kink := unitsKinkText(u.Hinge)
	if len(u.Kinks) > 1 {
		kink += fmt.Sprintf("+%d", len(u.Kinks)-1)
	}
	var head strings.Builder
	fmt.Fprintf(&head, "%c %*s %*s %-*s ", unitGlyph(u), c.name, fmt.Sprintf("u%d", u.Index), unitsKinkW, kink, unitsSideW, string(u.Live))
	if c.died > 0 {
		head.WriteString(unitsPad(unitsDiedText(u), c.died) + " ")
	}
	if c.share {
		fmt.Fprintf(&head, "%*s ", unitsShareW, unitsValue(u.Contribution))
	}
	spark := unitSpark(u.Out, c.spark, rows, u.Dead)
	blank := strings.Repeat(" ", cells(head.String()))
	lines := make([]string, rows)
	for i := range lines {
		h := blank
		if i == rows-1 {
			h = head.String()
		}
		line := unitsPad(h+"│"+spark[i]+"│", w)
		if u.Dead {
			line = st.Dim.Render(line)
		}
		lines[i] = line
	}
	return lines
}

func unitsPad(s string, w int) string {
	if n := cells(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// unitsLayerHeading says what a layer's block holds, in w cells: the order
// of its units gives way first on a narrow screen (it is the room's own).
func unitsLayerHeading(r *engine.UnitReport, l, w int) string {
	n := len(r.Layers[l])
	order, kinks := "by kink −b/w", fmt.Sprintf("%d with a kink in %s", r.InDomain(0), reportDomain(r))
	if l > 0 {
		order, kinks = "by first kink", fmt.Sprintf("%d kinks in %s", len(r.Kinks[l]), reportDomain(r))
		if l >= r.ExactLayers && r.Linear {
			order = "kinks not searched (net too large)"
		}
	}
	s := fmt.Sprintf("layer %d · %d units %s · %s · %d dead", l+1, n, order, kinks, r.Dead(l))
	if cells(s) > w {
		s = fmt.Sprintf("layer %d · %d units · %s · %d dead", l+1, n, kinks, r.Dead(l))
	}
	return s
}

// renderUnitsRoom draws the units room's body in exactly w×h cells: a title,
// the net's kinks against the reference fit, the glyphs' key, then page
// (from 0; clamped) of the units. It returns the body and how many pages there are.
func renderUnitsRoom(f unitsFrame, w, h, page int, st styles) (string, int) {
	r, name := f.lane()
	if r == nil || w < 1 || h < 1 {
		return unitsBlock(nil, w, h), 1
	}
	order := unitOrder(r)
	ncol := 1
	if w >= 150 {
		ncol = 2
	}
	gap := 2
	cw := (w - gap*(ncol-1)) / ncol
	cols := unitsLayout(r, cw)

	head := unitsHead(r, w)
	keyItems := []string{
		fmt.Sprintf("%c dead (zero on the grid; dimmed)", uGlyphDead), fmt.Sprintf("%c live right of its kink", uGlyphRight),
		fmt.Sprintf("%c live left", uGlyphLeft), fmt.Sprintf("%c live on all of %s", uGlyphBoth, reportDomain(r)),
		"share: mean |unit's part of net(x)|",
	}
	key := wrapUnitItems(keyItems, w-1)
	colHead := fmt.Sprintf("  %*s %*s %-*s ", cols.name, "unit", unitsKinkW, "kink", unitsSideW, "live")
	if cols.died > 0 {
		colHead += unitsPad("died", cols.died) + " "
	}
	if cols.share {
		colHead += fmt.Sprintf("%*s ", unitsShareW, "share")
	}
	colHead = unitsPad(colHead+" output over "+reportDomain(r), cw)
	if cells(colHead) > cw {
		colHead = unitsPad("", cw)
	}
	var fixed []string // the lines above the units, filled below once the page count is known
	top := 2 + len(key) + 1
	for len(key) > 0 && h-top < 6 { // a short screen (a lesson's caption below) keeps the units and drops the key
		key = key[:len(key)-1]
		top--
	}
	bodyH := max(1, h-top)

	// Taller plots when every unit then still fits on one page.
	rows := 1
	if need := unitsPages(order, 2, bodyH, ncol); need == 1 && bodyH >= 2 {
		rows = 2
	}
	pages := unitsPages(order, rows, bodyH, ncol)
	page = max(0, min(page, pages-1))

	title := fmt.Sprintf(" units · step %s", engine.Commas(r.Step))
	if name != "" {
		title = fmt.Sprintf(" units · lane %s · step %s", name, engine.Commas(r.Step))
	}
	for _, more := range []string{" · each hidden unit's output over " + reportDomain(r), ""} {
		t := title + more
		if pages > 1 {
			t += fmt.Sprintf(" · page %d/%d", page+1, pages)
		}
		if cells(t) <= w || more == "" {
			title = t
			break
		}
	}
	fixed = append(fixed, st.Title.Render(unitsFit(title, w)), unitsFit(" "+head, w))
	for _, k := range key {
		fixed = append(fixed, st.Dim.Render(unitsFit(" "+k, w)))
	}
	heads := make([]string, ncol)
	for i := range heads {
		heads[i] = colHead
	}
	fixed = append(fixed, st.Dim.Render(unitsFit(strings.Join(heads, strings.Repeat(" ", gap)), w)))

	// Fill the page's columns.
	place, _ := unitsPack(order, rows, bodyH, ncol)
	grid := make([][]string, ncol)
	for i, e := range order {
		if place[i][0] != page {
			continue
		}
		var lines []string
		if e.unit == nil {
			lines = []string{st.PanelTitle.Render(unitsPad(unitsClip(unitsLayerHeading(r, e.layer, cw), cw), cw))}
		} else {
			lines = unitLines(r, e.unit, cols, cw, rows, st)
		}
		c := place[i][1]
		if len(grid[c]) == 0 && e.unit != nil {
			grid[c] = append(grid[c], st.PanelTitle.Render(unitsPad(unitsClip(fmt.Sprintf("layer %d · continued", e.layer+1), cw), cw)))
		}
		grid[c] = append(grid[c], lines...)
	}
	out := fixed
	for i := 0; i < bodyH; i++ {
		parts := make([]string, ncol)
		for c := range parts {
			if i < len(grid[c]) {
				parts[c] = grid[c][i]
			} else {
				parts[c] = strings.Repeat(" ", cw)
			}
		}
		out = append(out, strings.Join(parts, strings.Repeat(" ", gap)))
	}
	return unitsBlock(out, w, h), pages
}

// unitsPack puts the entries in order into columns of bodyH lines, ncol
// columns a page: each entry's page and column, and the number of pages. A
// column that starts inside a layer starts with that layer's heading again.
func unitsPack(order []unitEntry, rows, bodyH, ncol int) ([][2]int, int) {
	place := make([][2]int, len(order))
	page, col, used := 0, 0, 0
	for i, e := range order {
		eh := 1
		if e.unit != nil {
			eh = rows
		}
		if used > 0 && used+eh > bodyH {
			col, used = col+1, 0
			if col == ncol {
				col, page = 0, page+1
			}
			if e.unit != nil {
				used = 1 // the repeated heading
			}
		}
		place[i] = [2]int{page, col}
		used += eh
	}
	return place, page + 1
}

func unitsPages(order []unitEntry, rows, bodyH, ncol int) int {
	_, n := unitsPack(order, rows, bodyH, ncol)
	return n
}

// unitsHead is the net's kinks against the best line with as many.
func unitsHead(r *engine.UnitReport, w int) string {
	if !r.Linear {
		return fmt.Sprintf("%s units are smooth: no kinks; the net's mse %s", r.Activation, unitsValue(r.MSE))
	}
	s := fmt.Sprintf("the net: %d kinks in %s, mse %s · the best %d-kink line: mse %s",
		r.NetKinks, reportDomain(r), unitsValue(r.MSE), r.Reference.Kinks, unitsValue(r.Reference.MSE))
	if cells(s) > w-1 {
		s = fmt.Sprintf("%d kinks · best %d-kink line %s · net %s", r.NetKinks, r.Reference.Kinks, unitsValue(r.Reference.MSE), unitsValue(r.MSE))
	}
	return unitsClip(s, w-1)
}

// wrapUnitItems joins items with " · " into lines of at most w cells.
func wrapUnitItems(items []string, w int) []string {
	var lines []string
	cur := ""
	for _, it := range items {
		switch {
		case cur == "":
			cur = it
		case cells(cur)+3+cells(it) <= w:
			cur += " · " + it
		default:
			lines = append(lines, cur)
			cur = it
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	for i := range lines {
		lines[i] = unitsClip(lines[i], w)
	}
	return lines
}

// unitsClip cuts s to w cells, ending in "…" when it cuts (never at ≥ 80
// columns). Everything the room writes is plain text of one-cell runes
// (box drawing, blocks, ×, ·, —), so a rune is a cell: counting runes keeps
// a 200×60 room well inside the frame budget (lipgloss.Width per line would
// take most of it). Styles are applied after a line has its width.
func unitsClip(s string, w int) string {
	if w < 1 {
		return ""
	}
	if utf8.RuneCountInString(s) <= w {
		return s
	}
	r := []rune(s)
	return string(r[:w-1]) + "…"
}

// cells is the width of a plain line of one-cell runes.
func cells(s string) int { return utf8.RuneCountInString(s) }

// unitsFit makes a plain line exactly w cells.
func unitsFit(s string, w int) string { return unitsPad(unitsClip(s, w), w) }

// unitsBlock stacks lines (each already w cells) into exactly h lines,
// blank ones padded.
func unitsBlock(lines []string, w, h int) string {
	blank := strings.Repeat(" ", max(w, 0))
	out := make([]string, h)
	for i := range out {
		out[i] = blank
		if i < len(lines) {
			out[i] = lines[i]
		}
	}
	return strings.Join(out, "\n")
}
