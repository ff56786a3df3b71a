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
// common outcome and a digit for that outcome's share of the runs (9 = all).
// The glyphs differ, so the map reads without colour; colour repeats them.

// outcomeGlyphs are the cells' characters: collapsed, diverged, learning, converged.
var outcomeGlyphs = [...]string{"×", "!", "~", "✓"}

// cellWidth is one cell on screen: a mark, the glyph, the digit, a mark.
const cellWidth = 4

// MapStyle is how a map is drawn: colours by outcome (or none), and the
// two marked cells.
type MapStyle struct {
	colors  [4]lipgloss.Style
	Color   bool
	MarkX   int // the preset's (or current setup's) own cell, drawn [×9]; -1 none
	MarkY   int
	CursorX int // the cursor, drawn >×9<; -1 none
	CursorY int
	NoNote  bool // leave out the note under the legend (a short screen)
}

// NewMapStyle makes the style for a colour profile (plain below ANSI).
func NewMapStyle(p colorprofile.Profile) MapStyle {
	s := MapStyle{Color: p > colorprofile.ASCII, MarkX: -1, MarkY: -1, CursorX: -1, CursorY: -1}
	if s.Color {
		for i, c := range []string{"9", "13", "11", "10"} {
			s.colors[i] = lipgloss.NewStyle().Foreground(lipgloss.Color(c)).Bold(true)
		}
	}
	return s
}

// RenderMap draws the map with labelled axes and a legend, in at most w
// columns (the cells do not shrink: a map wider than w says so instead).
func RenderMap(m *collapse.Map, title string, w int, st MapStyle) string {
	ax, ay := m.Spec.Axes[0], m.Spec.Axes[1]
	nx, ny := ax.Count, ay.Count
	const labelW = 9
	if labelW+2+nx*cellWidth > w {
		return fmt.Sprintf(" the map needs %d columns for %d cells across; this terminal has %d", labelW+2+nx*cellWidth, nx, w)
	}
	var b strings.Builder
	for _, l := range wrapWords(title, w-1, 2) {
		b.WriteString(" " + l + "\n")
	}
	b.WriteString(fmt.Sprintf("%*s\n", labelW, ay.Setting.Name))
	for y := ny - 1; y >= 0; y-- { // the largest value at the top
		b.WriteString(fmt.Sprintf("%*s │", labelW-1, axisValue(ay.Values[y])))
		for x := 0; x < nx; x++ {
			b.WriteString(st.cell(m.Cells[y][x], x, y))
		}
		b.WriteString("\n")
	}
	b.WriteString(strings.Repeat(" ", labelW) + "└" + strings.Repeat("─", nx*cellWidth) + "\n")
	// x labels: as many as fit without overlapping, first and last always.
	line := []rune(strings.Repeat(" ", labelW+1+nx*cellWidth+1+len(ax.Setting.Name)))
	last := -1
	for x := 0; x < nx; x++ {
		lab := []rune(axisValue(ax.Values[x]))
		at := labelW + 1 + x*cellWidth + cellWidth/2 - len(lab)/2
		if at <= last+1 || at+len(lab) > labelW+1+nx*cellWidth && x != nx-1 {
			continue
		}
		if x == nx-1 && at <= last+1 {
			continue
		}
		copy(line[at:], lab)
		last = at + len(lab)
	}
	copy(line[labelW+1+nx*cellWidth+1:], []rune(ax.Setting.Name))
	b.WriteString(strings.TrimRight(string(line), " ") + "\n")
	legend := []string{}
	for o, name := range collapse.OutcomeNames {
		legend = append(legend, st.glyph(o, outcomeGlyphs[o]+"9")+" "+name)
	}
	b.WriteString(" " + strings.Join(legend, "  ") + "\n")
	if !st.NoNote {
		note := fmt.Sprintf("the glyph: the most common outcome of a cell's %d runs; the digit: its share (9 = all).", m.Spec.Seeds)
		if st.MarkX >= 0 {
			note += " [ ] is the setup's own cell."
		}
		for _, l := range wrapWords(note, w-1, 3) {
			b.WriteString(" " + l + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func (st MapStyle) glyph(o int, s string) string {
	if !st.Color {
		return s
	}
	return st.colors[o].Render(s)
}

func (st MapStyle) cell(c collapse.Cell, x, y int) string {
	o, share := c.Majority()
	digit := strconv.Itoa(int(math.Round(share * 9)))
	left, right := " ", " "
	switch {
	case x == st.CursorX && y == st.CursorY:
		left, right = ">", "<"
	case x == st.MarkX && y == st.MarkY:
		left, right = "[", "]"
	}
	return left + st.glyph(o, outcomeGlyphs[o]+digit) + right
}

// axisValue writes an axis value in at most 7 characters.
func axisValue(v float64) string {
	s := strconv.FormatFloat(v, 'g', 2, 64)
	if v >= 1 && v < 1e6 && v == math.Round(v) {
		s = strconv.FormatFloat(v, 'f', 0, 64) // 100, not 1e+02
	}
	s = strings.Replace(s, "e-0", "e-", 1)
	return strings.Replace(s, "e+0", "e+", 1)
}

// CellText says what one cell's runs came to, in one line.
func CellText(m *collapse.Map, x, y int) string {
	c := m.Cells[y][x]
	ax, ay := m.Spec.Axes[0], m.Spec.Axes[1]
	mse := "—"
	if !math.IsNaN(c.MedianMSE) {
		mse = engine.FormatValue(c.MedianMSE)
	}
	return fmt.Sprintf("%s %s · %s %s: %d runs — %d collapsed, %d diverged, %d learning, %d converged · median mse x≥0.01 %s",
		ax.Setting.Name, strconv.FormatFloat(c.X, 'g', 3, 64), ay.Setting.Name, strconv.FormatFloat(c.Y, 'g', 3, 64), c.Runs,
		c.Counts[collapse.Collapsed], c.Counts[collapse.Diverged], c.Counts[collapse.Learning], c.Counts[collapse.Converged], mse)
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
