package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"lnfit/engine"
	"lnfit/engine/collapse"
)

// The collapse map as text: one cell per (x, y), the glyph of its most
// common outcome and how many of the cell's runs had it (×3 of 4 seeds is
// "×3"). The glyphs differ, so the map reads without colour; colour repeats
// them. Every column is labelled (in two staggered rows when one row is too
// tight), the legend sits beside the cells when there is room (so it fits
// the dashboard's 80×24), and where every cell has the same outcome a second
// map shows the median MSE it computed.

// outcomeGlyphs are the cells' characters, one per collapse.OutcomeNames:
// collapsed, diverged, diverging (still finite, growing), learning, converged.
var outcomeGlyphs = [len(collapse.OutcomeNames)]string{"×", "!", "↗", "~", "✓"}

// mapLabelW is the width of the y labels' column, "│" excluded.
const mapLabelW = 9

// MapStyle is how a map is drawn: colours by outcome (or none), and the
// two marked cells.
type MapStyle struct {
	colors  [len(outcomeGlyphs)]lipgloss.Style
	Color   bool
	MarkX   int // the preset's (or current setup's) own cell, drawn [×4]; -1 none
	MarkY   int
	CursorX int // the cursor, drawn >×4<; -1 none
	CursorY int
	NoNote  bool // a short screen: the cells and the legend only (no note, no MSE map)
	Compact bool // a shorter screen: the legend names only the outcomes on the map, packed
	Rows    int  // at most this many rows of cells, a window around the cursor (0: all)
}

// NewMapStyle makes the style for a colour profile (plain below ANSI).
func NewMapStyle(p colorprofile.Profile) MapStyle {
	s := MapStyle{Color: p > colorprofile.ASCII, MarkX: -1, MarkY: -1, CursorX: -1, CursorY: -1}
	if s.Color {
		for i, c := range [len(outcomeGlyphs)]string{"9", "13", "5", "11", "10"} {
			s.colors[i] = lipgloss.NewStyle().Foreground(lipgloss.Color(c)).Bold(true)
		}
	}
	return s
}

// mapCellWidth is one cell on screen: a mark, the glyph, the count (as many
// digits as the runs per cell need), a mark.
func mapCellWidth(m *collapse.Map) int { return 3 + len(strconv.Itoa(m.Spec.Seeds)) }

// RenderMap draws the map with labelled axes and a legend, in at most w
// columns (the cells do not shrink: a map wider than w says so instead).
func RenderMap(m *collapse.Map, title string, w int, st MapStyle) string {
	ax, ay := m.Spec.Axes[0], m.Spec.Axes[1]
	cw := mapCellWidth(m)
	gridW := mapLabelW + 1 + ax.Count*cw
	if gridW > w {
		return fmt.Sprintf(" the map needs %d columns for %d cells across; this terminal has %d", gridW, ax.Count, w)
	}
	lo, hi := st.window(ay.Count)
	grid := mapGrid(m, cw, lo, hi, func(x, y int) string { return st.cell(m.Cells[y][x], x, y) })
	side := append([]string{"↑ " + ay.Setting.Name}, st.legend(m)...)
	if lo > 0 || hi < ay.Count-1 {
		side = append(side, hiddenRows(ay.Count-1-hi, lo))
	}
	sideCol, packed := mapSideCol(grid, len(side)), side
	if st.Compact { // packed beside the cells, the axis's name on its own line: as wide as is left of them
		pack := func() []string { return append([]string{side[0]}, wrapItems(side[1:], "  ", w-sideCol)...) }
		for range 3 { // packing changes the lines it sits beside, and so its column: until it settles
			col := mapSideCol(grid, len(pack()))
			if col == sideCol {
				break
			}
			sideCol = col
		}
		packed = pack()
	}
	sideW := 0
	for _, l := range packed {
		sideW = max(sideW, lipgloss.Width(l))
	}
	beside := sideCol+sideW <= w
	var lines []string
	for _, l := range wrapWords(title, w-1, 2) {
		lines = append(lines, " "+l)
	}
	if beside {
		for i, l := range packed {
			if i >= len(grid) {
				grid = append(grid, "")
			}
			grid[i] += strings.Repeat(" ", max(sideCol-lipgloss.Width(grid[i]), 0)) + l
		}
		lines = append(lines, grid...)
	} else {
		items, name := side[1:], fmt.Sprintf("%*s", mapLabelW, ay.Setting.Name)
		if lo > 0 || hi < ay.Count-1 { // the rows off screen beside the axis's name: a line less
			items, name = items[:len(items)-1], name+"   "+side[len(side)-1]
		}
		lines = append(lines, name)
		lines = append(lines, grid...)
		for _, l := range wrapItems(items, " · ", w-1) {
			lines = append(lines, " "+l)
		}
	}
	if !st.NoNote {
		note := fmt.Sprintf("The glyph is the most common outcome of a cell's %d runs (seeds %d–%d, up to %s steps each); the number is how many of the %d had it.",
			m.Spec.Seeds, m.Spec.Base.Seed, m.Spec.Base.Seed+uint64(m.Spec.Seeds)-1, engine.Commas(m.Spec.Steps), m.Spec.Seeds)
		for _, l := range wrapWords(note, w-1, 3) {
			lines = append(lines, " "+l)
		}
		if o, ok := uniform(m); ok && o != collapse.Diverged && o != collapse.Diverging { // those have no mse
			lines = append(lines, "", " "+fmt.Sprintf("Every cell is %s; the shade is each cell's median mse x≥0.01:", collapse.OutcomeNames[o]))
			lines = append(lines, st.mseMap(m, cw, w)...)
		}
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// window is the rows of cells on screen, lo to hi: all of them, or st.Rows
// around the cursor (the marked cell if none).
func (st MapStyle) window(n int) (lo, hi int) {
	if st.Rows <= 0 || st.Rows >= n {
		return 0, n - 1
	}
	at := st.CursorY
	if at < 0 {
		at = st.MarkY
	}
	if at < 0 {
		at = n / 2
	}
	lo = min(max(at-(st.Rows-1)/2, 0), n-st.Rows)
	return lo, lo + st.Rows - 1
}

// hiddenRows says which rows a windowed map leaves off, and the keys that
// bring them on.
func hiddenRows(above, below int) string {
	rows := func(n int) string {
		if n == 1 {
			return "1 row"
		}
		return strconv.Itoa(n) + " rows"
	}
	switch {
	case above > 0 && below > 0:
		return rows(above) + " above, " + strconv.Itoa(below) + " below (↑↓)"
	case above > 0:
		return rows(above) + " above (↑)"
	}
	return rows(below) + " below (↓)"
}

// mapSideCol is the legend's column beside the first n lines of grid:
// clear of every one of them.
func mapSideCol(grid []string, n int) int {
	col := 0
	for i := 0; i < n && i < len(grid); i++ {
		col = max(col, lipgloss.Width(grid[i])+3)
	}
	return col
}

// mapGrid is the cells' rows lo to hi (largest y at the top), the x axis
// with a tick under every column, and a label under every column: in one
// row when they fit, else in two staggered rows.
func mapGrid(m *collapse.Map, cw, lo, hi int, cell func(x, y int) string) []string {
	ax, ay := m.Spec.Axes[0], m.Spec.Axes[1]
	var lines []string
	for y := hi; y >= lo; y-- {
		var b strings.Builder
		b.WriteString(fmt.Sprintf("%*s │", mapLabelW-1, axisValue(ay.Values[y])))
		for x := 0; x < ax.Count; x++ {
			b.WriteString(cell(x, y))
		}
		lines = append(lines, b.String())
	}
	tick := strings.Repeat("─", cw/2) + "┬" + strings.Repeat("─", cw-cw/2-1)
	lines = append(lines, strings.Repeat(" ", mapLabelW)+"└"+strings.Repeat(tick, ax.Count))
	labels := make([]string, ax.Count)
	oneRow := true
	for x, v := range ax.Values {
		labels[x] = axisValue(v)
		oneRow = oneRow && len(labels[x]) < cw
	}
	width := mapLabelW + 1 + ax.Count*cw + 2 + len(ax.Setting.Name) + 8
	rows := [][]rune{[]rune(strings.Repeat(" ", width))}
	if !oneRow {
		rows = append(rows, []rune(strings.Repeat(" ", width)))
	}
	for x, lab := range labels {
		centre := mapLabelW + 1 + x*cw + cw/2
		at := max(centre-(len(lab)-1)/2, 0)
		copy(rows[x%len(rows)][at:], []rune(lab))
	}
	copy(rows[0][mapLabelW+1+ax.Count*cw+2:], []rune(ax.Setting.Name+" →"))
	for _, r := range rows {
		lines = append(lines, strings.TrimRight(string(r), " "))
	}
	return lines
}

// legend is the map's key, one item a line: the glyphs, the count, the marks.
func (st MapStyle) legend(m *collapse.Map) []string {
	n := m.Spec.Seeds
	var out []string
	on := onMap(m)
	for o, name := range collapse.OutcomeNames {
		if on[o] || !st.Compact {
			out = append(out, st.glyph(o, outcomeGlyphs[o])+" "+name)
		}
	}
	k, runs := max(n-1, 1), "runs"
	if n == 1 {
		runs = "run"
	}
	out = append(out, fmt.Sprintf("%s%d: %d of the %d %s", outcomeGlyphs[0], k, k, n, runs))
	if st.MarkX >= 0 && st.MarkY >= 0 {
		out = append(out, "[ ] "+markText(m, st.MarkX, st.MarkY))
	}
	if st.CursorX >= 0 && st.CursorY >= 0 {
		out = append(out, "> < the cursor")
	}
	return out
}

// markText says what the marked cell is: the setup's own, or the nearest
// to it when the setup's value is not on the axis (batch 50 on 1, 3, 10, 32 …).
func markText(m *collapse.Map, x, y int) string {
	var off []string
	for i, at := range []int{x, y} {
		a := m.Spec.Axes[i]
		v, err := strconv.ParseFloat(a.Setting.Get(m.Spec.Base), 64)
		if err == nil && at < len(a.Values) && math.Abs(v-a.Values[at]) > 1e-9*math.Abs(v) {
			off = append(off, a.Setting.Name+" "+strconv.FormatFloat(v, 'g', -1, 64))
		}
	}
	if len(off) == 0 {
		return "the setup's own cell"
	}
	return "nearest the setup (" + strings.Join(off, ", ") + ")"
}

// onMap is which outcomes some cell of the map shows.
func onMap(m *collapse.Map) (on [len(outcomeGlyphs)]bool) {
	for _, row := range m.Cells {
		for _, c := range row {
			o, _ := c.Majority()
			on[o] = true
		}
	}
	return on
}

// uniform reports the one outcome every cell has, if they all have the same.
func uniform(m *collapse.Map) (int, bool) {
	first := -1
	for _, row := range m.Cells {
		for _, c := range row {
			o, _ := c.Majority()
			if first >= 0 && o != first {
				return 0, false
			}
			first = o
		}
	}
	return first, first >= 0
}

func (st MapStyle) glyph(o int, s string) string {
	if !st.Color {
		return s
	}
	return st.colors[o].Render(s)
}

// marks are the two characters around cell (x, y).
func (st MapStyle) marks(x, y int) (string, string) {
	switch {
	case x == st.CursorX && y == st.CursorY:
		return ">", "<"
	case x == st.MarkX && y == st.MarkY:
		return "[", "]"
	}
	return " ", " "
}

func (st MapStyle) cell(c collapse.Cell, x, y int) string {
	o, _ := c.Majority()
	left, right := st.marks(x, y)
	k := strconv.Itoa(c.Counts[o])
	return left + st.glyph(o, outcomeGlyphs[o]+k) + right + strings.Repeat(" ", len(strconv.Itoa(c.Runs))-len(k))
}

// axisValue writes an axis value as the map computed it, in at most 7
// characters: the axes' values are already rounded (collapse.ParseAxes).
func axisValue(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if len(s) > 7 {
		s = strconv.FormatFloat(v, 'g', 2, 64)
	}
	s = strings.Replace(s, "e-0", "e-", 1)
	return strings.Replace(s, "e+0", "e+", 1)
}

// CellText says what one cell's runs came to, in one line: the outcomes
// its runs had, most common first.
func CellText(m *collapse.Map, x, y int) string {
	c := m.Cells[y][x]
	ax, ay := m.Spec.Axes[0], m.Spec.Axes[1]
	mse := "—"
	if !math.IsNaN(c.MedianMSE) {
		mse = engine.FormatValue(c.MedianMSE)
	}
	var had []string
	for n := c.Runs; n > 0; n-- {
		for o, name := range collapse.OutcomeNames {
			if c.Counts[o] == n {
				had = append(had, fmt.Sprintf("%d %s", n, name))
			}
		}
	}
	return fmt.Sprintf("%s %s · %s %s: %d runs — %s · median mse x≥0.01 %s",
		ax.Setting.Name, axisValue(c.X), ay.Setting.Name, axisValue(c.Y), c.Runs, strings.Join(had, ", "), mse)
}

// NearestCell finds the cell whose values are nearest (in log or linear
// terms, by axis) to the point (xv, yv).
func NearestCell(m *collapse.Map, xv, yv float64) (int, int) {
	near := func(a collapse.Axis, v float64) int {
		best, bd := 0, math.Inf(1)
		for i, u := range a.Values {
			d := math.Abs(u - v)
			if a.Log && u > 0 && v > 0 {
				d = math.Abs(math.Log(u) - math.Log(v))
			}
			if d < bd {
				best, bd = i, d
			}
		}
		return best
	}
	return near(m.Spec.Axes[0], xv), near(m.Spec.Axes[1], yv)
}
