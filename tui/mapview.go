package tui

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"lnfit/engine"
	"lnfit/engine/collapse"
	"lnfit/engine/runner"
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

// The map room: `m` opens the collapse map around the current setup (lr ×
// init-scale, two decades either side, the current optimizer and
// activation), computed in the background while the dashboard stays live.

// mapRoom is one setup's map: computing, or done. Rooms live in a
// MapCache, which a classroom shares among every session, so a whole class
// asking for the same map computes it once.
type mapRoom struct {
	key      string
	done     atomic.Int64 // runs finished so far
	total    int
	ready    chan struct{} // closed when m or err is set
	m        *collapse.Map
	err      error
	started  time.Time
	computeS float64
}

// MapCache keeps the maps computed so far, by setup.
type MapCache struct {
	mu    sync.Mutex
	rooms map[string]*mapRoom
}

// NewMapCache makes an empty cache.
func NewMapCache() *MapCache { return &MapCache{rooms: map[string]*mapRoom{}} }

func (r *mapRoom) finished() bool {
	select {
	case <-r.ready:
		return true
	default:
		return false
	}
}

// mapPollMsg looks at a computing map's progress.
type mapPollMsg struct{}

func pollMap() tea.Cmd {
	return tea.Tick(100*time.Millisecond, func(time.Time) tea.Msg { return mapPollMsg{} })
}

// mapSpecFor is the dashboard's map of a configuration: lr and init-scale,
// 9 values each over two decades either side, 4 seeds of 2,000 steps.
func mapSpecFor(c engine.Config) (collapse.Spec, error) {
	lrLo, lrHi := math.Max(c.LR/100, 1e-7), math.Min(c.LR*100, 1e6)
	sLo, sHi := math.Max(c.InitScale/100, 1e-4), math.Min(c.InitScale*100, 100)
	axes, err := collapse.ParseAxes(fmt.Sprintf("lr=%g:%g:9,init-scale=%g:%g:9", lrLo, lrHi, sLo, sHi))
	if err != nil {
		return collapse.Spec{}, err
	}
	return collapse.Spec{Base: c, Axes: axes, Seeds: 4, Steps: 2000}, nil
}

// openMap opens the map for the selected lane's setup (as the frame shows
// it: for a follower, the teacher's), from the cache or by starting it.
func (m *Model) openMap() tea.Cmd {
	cfg := m.snap().Config
	m.toggle(modeMap)
	m.mapCX, m.mapCY = 4, 4 // the setup's own cell: the middle of both axes
	spec, err := mapSpecFor(cfg)
	key := engine.Setup{Config: cfg}.Token()
	c := m.opts.Maps
	c.mu.Lock()
	defer c.mu.Unlock()
	if room, ok := c.rooms[key]; ok {
		m.mapKeyOpen = key
		if room.finished() {
			return nil
		}
		return pollMap()
	}
	room := &mapRoom{key: key, ready: make(chan struct{}), started: time.Now()}
	c.rooms[key] = room
	m.mapKeyOpen = key
	if err != nil {
		room.err = err
		close(room.ready)
		return nil
	}
	room.total = spec.Runs()
	go func() {
		mp, err := collapse.Compute(context.Background(), spec, 0, func(done, _ int) { room.done.Store(int64(done)) })
		room.m, room.err, room.computeS = mp, err, time.Since(room.started).Seconds()
		close(room.ready)
	}()
	return pollMap()
}

// openRoom is the map room on screen, if any.
func (m Model) openRoom() *mapRoom {
	c := m.opts.Maps
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rooms[m.mapKeyOpen]
}

// pollMapRoom keeps polling while the open map computes.
func (m *Model) pollMapRoom() tea.Cmd {
	if room := m.openRoom(); room != nil && !room.finished() && m.mode == modeMap {
		return pollMap()
	}
	return nil
}

// mapKey answers a key in the map room; false if it is not the room's.
func (m *Model) mapKey(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	room := m.openRoom()
	if room == nil || !room.finished() || room.m == nil {
		return false, nil
	}
	nx, ny := room.m.Spec.Axes[0].Count, room.m.Spec.Axes[1].Count
	switch msg.String() {
	case "left":
		m.mapCX = max(m.mapCX-1, 0)
	case "right":
		m.mapCX = min(m.mapCX+1, nx-1)
	case "up":
		m.mapCY = min(m.mapCY+1, ny-1)
	case "down":
		m.mapCY = max(m.mapCY-1, 0)
	case "enter":
		if m.following {
			m.say(true, "you are following the teacher's run: f gives you a copy of your own to restart")
			return true, nil
		}
		cfg, err := room.m.CellConfig(m.mapCX, m.mapCY)
		if err != nil {
			m.say(true, "%v", err)
			return true, nil
		}
		s := m.session
		s.EndRace(0)
		seed := s.Main().Config().Seed
		cfg.Seed = seed
		if err := s.Set("lr", strconv.FormatFloat(cfg.LR, 'g', -1, 64), engine.AllLanes); err != nil {
			m.say(true, "%v", err)
			return true, nil
		}
		if err := s.Set("init-scale", strconv.FormatFloat(cfg.InitScale, 'g', -1, 64), engine.AllLanes); err != nil {
			m.say(true, "%v", err)
			return true, nil
		}
		m.run, m.sel = runner.New(s, nil), 0
		m.mode = modePlots
		m.restarted()
		m.say(false, "restarted at lr %.3g, init-scale %.3g (seed %d) — the map's cell", cfg.LR, cfg.InitScale, seed)
		if m.running {
			return true, m.resume()
		}
		return true, nil
	default:
		return false, nil
	}
	return true, nil
}

// mapView draws the map room.
func (m Model) mapView(w, h int) string {
	room := m.openRoom()
	hint := wrapWords("lr × init-scale around this setup · ←↑↓→ move · enter restarts there · m closes", w-16, 2)
	title := m.st.Title.Render(" collapse map") + m.st.Dim.Render("  "+hint[0])
	for _, l := range hint[1:] {
		title += "\n" + m.st.Dim.Render(strings.Repeat(" ", 15)+l)
	}
	switch {
	case room == nil:
		return block(title, w, h)
	case room.finished() && room.err != nil:
		return block(title+"\n\n "+room.err.Error(), w, h)
	case !room.finished():
		done := room.done.Load()
		frac := float64(done) / float64(max(room.total, 1))
		width := max(min(w-30, 40), 10)
		fill := int(frac * float64(width))
		bar := fmt.Sprintf(" [%s%s] %s of %s runs (4 seeds × 81 cells × up to 2,000 steps), on every core",
			strings.Repeat("█", fill), strings.Repeat("·", width-fill), engine.Commas(done), engine.Commas(int64(room.total)))
		return block(title+"\n\n"+strings.Join(wrapWords(bar, w-1, 3), "\n"), w, h)
	}
	st := NewMapStyle(colorprofile.NoTTY)
	if m.st.color {
		st = NewMapStyle(colorprofile.TrueColor)
	}
	st.MarkX, st.MarkY = 4, 4
	st.CursorX, st.CursorY = m.mapCX, m.mapCY
	c := room.m.Spec.Base
	heading := fmt.Sprintf("%s, %s, init %s, seeds %d–%d · computed in %.1f s on every core", c.Optimizer, c.Activation, c.Init,
		c.Seed, c.Seed+uint64(room.m.Spec.Seeds)-1, room.computeS)
	cell := wrapWords(CellText(room.m, m.mapCX, m.mapCY), w-1, 2)
	for i, l := range cell {
		cell[i] = " " + l
	}
	body := RenderMap(room.m, heading, w, st)
	if lipgloss.Height(title)+lipgloss.Height(body)+len(cell) > h { // a short screen: the cells and the cursor's figures first
		st.NoNote = true
		body = RenderMap(room.m, heading, w, st)
	}
	if lipgloss.Height(title)+lipgloss.Height(body)+len(cell) > h {
		body = RenderMap(room.m, "", w, st) // without the heading line
	}
	return block(title+"\n"+strings.Join(cell, "\n")+"\n"+body, w, h)
}
