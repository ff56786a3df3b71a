package tui

import (
	"math"
	"strings"

	"lnfit/engine"
	"lnfit/engine/collapse"
)

// The second map, shown when every cell has the same outcome: each cell's
// median MSE as a shade.

// mseShades are the MSE map's shades, lowest to highest median.
var mseShades = [...]string{"·", "░", "▒", "▓", "█"}

// mseMap is the second map: each cell shaded by its median mse x≥0.01 on a
// log scale from the map's lowest median to its highest, with the scale.
func (st MapStyle) mseMap(m *collapse.Map, cw, w int) []string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, row := range m.Cells {
		for _, c := range row {
			if v := c.MedianMSE; v > 0 && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, math.Log10(v)), math.Max(hi, math.Log10(v))
			}
		}
	}
	level := func(v float64) int {
		if hi <= lo {
			return len(mseShades) / 2
		}
		return min(int((math.Log10(v)-lo)/(hi-lo)*float64(len(mseShades))), len(mseShades)-1)
	}
	grid := mapGrid(m, cw, 0, m.Spec.Axes[1].Count-1, func(x, y int) string {
		left, right := st.marks(x, y)
		s := " "
		if v := m.Cells[y][x].MedianMSE; v > 0 && !math.IsInf(v, 0) {
			s = mseShades[level(v)]
		}
		return left + strings.Repeat(s, cw-2) + right
	})
	grid[0] += "    ↑ " + m.Spec.Axes[1].Setting.Name
	if math.IsInf(lo, 0) {
		return append(grid, " no cell has a median mse")
	}
	var scale []string
	if hi <= lo {
		scale = []string{mseShades[len(mseShades)/2] + " every cell " + engine.FormatValue(math.Pow(10, lo))}
	} else {
		for i, sh := range mseShades {
			scale = append(scale, sh+" ≥ "+engine.FormatValue(math.Pow(10, lo+float64(i)*(hi-lo)/float64(len(mseShades)))))
		}
		scale = append(scale, "(highest "+engine.FormatValue(math.Pow(10, hi))+")")
	}
	for _, l := range wrapItems(scale, "  ", w-1) {
		grid = append(grid, " "+l)
	}
	return grid
}
