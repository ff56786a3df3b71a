package tui

import (
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"lnfit/engine"
	"lnfit/engine/runner"
)

// openMap opens the map for the selected lane's setup (as the frame shows
// it: for a follower, the teacher's), from the cache or by starting it (in
// the classroom's pool, if any).
func (m *Model) openMap() tea.Cmd {
	cfg := m.snap().Config
	m.toggle(modeMap)
	m.mapCX, m.mapCY = 4, 4 // the setup's own cell: the middle of both axes
	m.mapKeyOpen = m.opts.Maps.open(cfg, m.opts.Pool)
	if room := m.openRoom(); room == nil || room.finished() {
		return nil
	}
	return pollMap()
}

// openRoom is the map room on screen, if any; asking counts as looking at
// it (a map no one looks at is cancelled), so call it only while it shows.
func (m Model) openRoom() *mapRoom { return m.opts.Maps.look(m.mapKeyOpen) }

// pollMapRoom keeps polling while the open map computes.
func (m *Model) pollMapRoom() tea.Cmd {
	if m.mode != modeMap {
		return nil
	}
	room := m.openRoom()
	if room == nil { // cancelled while on screen (this session stalled past the lease): start it again
		m.mapKeyOpen = m.opts.Maps.open(m.snap().Config, m.opts.Pool)
		return pollMap()
	}
	if !room.finished() {
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
		bar := fmt.Sprintf(" [%s%s] %s of %s runs (%s), %s", strings.Repeat("█", fill), strings.Repeat("·", width-fill),
			engine.Commas(done), engine.Commas(int64(room.total)), room.size(), room.where())
		return block(title+"\n\n"+strings.Join(wrapWords(bar, w-1, 3), "\n"), w, h)
	}
	st := NewMapStyle(colorprofile.NoTTY)
	if m.st.color {
		st = NewMapStyle(colorprofile.TrueColor)
	}
	st.MarkX, st.MarkY = 4, 4
	st.CursorX, st.CursorY = m.mapCX, m.mapCY
	c := room.m.Spec.Base
	heading := fmt.Sprintf("%s, %s, init %s, seeds %d–%d · computed in %.1f s %s", c.Optimizer, c.Activation, c.Init,
		c.Seed, c.Seed+uint64(room.m.Spec.Seeds)-1, room.computeS, room.where())
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
