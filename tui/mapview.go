package tui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"lnfit/engine"
	"lnfit/engine/collapse"
	"lnfit/engine/runner"
)

// mapScreen is the collapse map's room: which map is open and its cursor.
// The map itself (progress, cells) reaches the view through the frame.
type mapScreen struct {
	key    string // the map on screen (a MapCache key)
	cx, cy int    // its cursor
	w, h   int
}

// mapFrame is the open map as the frame carries it.
type mapFrame struct {
	open, finished bool
	done, total    int64
	m              *collapse.Map // set once finished without error; never changed after
	err            error
	computeS       float64
	size, where    string // how much work it is, and where it computes
}

// same: nothing to draw anew (the map is immutable once finished).
func (f mapFrame) same(o mapFrame) bool {
	return f.open == o.open && f.finished == o.finished && f.done == o.done && f.total == o.total && f.where == o.where
}

// openMap opens the map for the selected lane's setup, from the cache or by
// starting it (in the classroom's pool, if any).
func (m *Model) openMap() tea.Cmd {
	// A follower maps the teacher's setup as its frame shows it; anyone else
	// the live lane's, which a lesson may have changed since the last frame.
	cfg := m.snap().Config
	if !m.role.following() {
		cfg = m.session.Lane(m.sel).Config()
	}
	m.toggle(modeMap)
	return m.cmap.open(cfg, m.opts.Maps, m.opts.Pool)
}

func (r *mapScreen) open(cfg engine.Config, c *MapCache, pool *runner.Pool) tea.Cmd {
	r.cx, r.cy = 4, 4 // the setup's own cell: the middle of both axes
	r.key = c.open(cfg, pool)
	if room := c.look(r.key); room == nil || room.finished() {
		return nil
	}
	return pollMap()
}

// openRoom is the map room on screen, if any; asking counts as looking at
// it (a map no one looks at is cancelled), so call it only while it shows.
func (m Model) openRoom() *mapRoom { return m.opts.Maps.look(m.cmap.key) }

// pollMapRoom keeps polling while the open map computes.
func (m *Model) pollMapRoom() tea.Cmd {
	if m.mode != modeMap {
		return nil
	}
	room := m.openRoom()
	if room == nil { // cancelled while on screen (this session stalled past the lease): start it again
		m.cmap.key = m.opts.Maps.open(m.snap().Config, m.opts.Pool)
		return pollMap()
	}
	if !room.finished() {
		return pollMap()
	}
	return nil
}

// frame is the open map's state for the frame: read from the cache once
// per frame, so the view never touches the cache.
func (r *mapScreen) frame(c *MapCache, open bool) mapFrame {
	if !open {
		return mapFrame{}
	}
	room := c.look(r.key)
	if room == nil {
		return mapFrame{}
	}
	f := mapFrame{open: true, done: room.done.Load(), total: int64(room.total), size: room.size(), where: room.where()}
	if room.finished() {
		f.finished, f.m, f.err, f.computeS = true, room.m, room.err, room.computeS
	}
	return f
}

// move moves the cursor within a finished map.
func (r *mapScreen) move(m *Model, dx, dy int) {
	room := m.openRoom()
	if room == nil || !room.finished() || room.m == nil {
		m.say(true, "the map is still computing: the cursor moves once it is done")
		return
	}
	nx, ny := room.m.Spec.Axes[0].Count, room.m.Spec.Axes[1].Count
	r.cx, r.cy = max(min(r.cx+dx, nx-1), 0), max(min(r.cy+dy, ny-1), 0)
}

func (r *mapScreen) whyNotEnter(m *Model) string {
	if room := m.openRoom(); room == nil || !room.finished() || room.m == nil {
		return "the map is still computing: enter restarts at a cell once it is done"
	}
	return ""
}

// restartAtCell restarts the run at the cursor's cell, with the same seed.
func (m *Model) restartAtCell(string) tea.Cmd {
	room := m.openRoom()
	cfg, err := room.m.CellConfig(m.cmap.cx, m.cmap.cy)
	if err != nil {
		m.say(true, "%v", err)
		return nil
	}
	s := m.session
	s.EndRace(0)
	seed := s.Main().Config().Seed
	cfg.Seed = seed
	for _, kv := range [][2]string{{"lr", strconv.FormatFloat(cfg.LR, 'g', -1, 64)}, {"init-scale", strconv.FormatFloat(cfg.InitScale, 'g', -1, 64)}} {
		if !m.set(kv[0], kv[1], engine.AllLanes) {
			return nil
		}
	}
	m.run, m.sel = runner.New(s, nil), 0
	m.mode = modePlots
	m.restarted()
	m.say(false, "restarted at lr %.3g, init-scale %.3g (seed %d) — the map's cell", cfg.LR, cfg.InitScale, seed)
	if m.running {
		return m.resume()
	}
	return nil
}

func (r *mapScreen) SetSize(w, h int) { r.w, r.h = w, h }

// View draws the map room from the frame. On a short screen (a lesson's
// caption takes the rows under it) it gives up, in turn, the note, the
// heading, the long hint, the legend's unused outcomes and then rows of
// cells around the cursor: the axes and the cursor's figures stay.
func (r *mapScreen) View(f *frame, st styles) string {
	w, h := r.w, r.h
	mf := &f.cmap
	title := mapTitle("lr × init-scale around this setup · ←↑↓→ move · enter restarts there · m closes", w, st)
	switch {
	case !mf.open:
		return block(title, w, h)
	case mf.finished && mf.err != nil:
		return block(title+"\n\n "+mf.err.Error(), w, h)
	case !mf.finished:
		frac := float64(mf.done) / float64(max(mf.total, 1))
		width := max(min(w-30, 40), 10)
		fill := int(frac * float64(width))
		bar := fmt.Sprintf(" [%s%s] %s of %s runs (%s), %s", strings.Repeat("█", fill), strings.Repeat("·", width-fill),
			engine.Commas(mf.done), engine.Commas(mf.total), mf.size, mf.where)
		return block(title+"\n\n"+strings.Join(wrapWords(bar, w-1, 3), "\n"), w, h)
	}
	ms := NewMapStyle(colorprofile.NoTTY)
	if st.color {
		ms = NewMapStyle(colorprofile.TrueColor)
	}
	ms.MarkX, ms.MarkY = 4, 4
	ms.CursorX, ms.CursorY = r.cx, r.cy
	c := mf.m.Spec.Base
	heading := fmt.Sprintf("%s, %s, init %s, seeds %d–%d · computed in %.1f s %s", c.Optimizer, c.Activation, c.Init,
		c.Seed, c.Seed+uint64(mf.m.Spec.Seeds)-1, mf.computeS, mf.where)
	cell := wrapWords(CellText(mf.m, r.cx, r.cy), w-1, 2)
	for i, l := range cell {
		cell[i] = " " + l
	}
	screen := func() string {
		parts := append(append([]string{title}, cell...), RenderMap(mf.m, heading, w, ms))
		return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), "\n")
	}
	out := screen()
	for step := 0; lipgloss.Height(out) > h; step++ {
		switch {
		case step == 0:
			ms.NoNote = true
		case step == 1:
			heading = ""
		case step == 2:
			title = mapTitle("←↑↓→ move · enter restarts there · m closes", w, st)
		case step == 3:
			ms.Compact, ms.Rows = true, mf.m.Spec.Axes[1].Count
		case ms.Rows > 1:
			ms.Rows--
		case title != "": // below 80×24 under a caption: the key line and ? still have the keys
			title = ""
		case cell != nil: // then the cursor's figures, before the axis under the cells
			cell = nil
		default:
			return block(out, w, h)
		}
		out = screen()
	}
	for ms.Rows > 0 && ms.Rows < mf.m.Spec.Axes[1].Count { // the title or the figures went: rows again, as many as now fit
		ms.Rows++
		if more := screen(); lipgloss.Height(more) <= h {
			out = more
			continue
		}
		break
	}
	return block(out, w, h)
}

// mapTitle is the room's title line with its hint, wrapped beside it.
func mapTitle(hint string, w int, st styles) string {
	lines := wrapWords(hint, w-16, 2)
	title := st.Title.Render(" collapse map") + st.Dim.Render("  "+lines[0])
	for _, l := range lines[1:] {
		title += "\n" + st.Dim.Render(strings.Repeat(" ", 15)+l)
	}
	return title
}
