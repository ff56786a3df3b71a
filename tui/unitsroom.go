package tui

import (
	"hash/maphash"
	"math"

	tea "charm.land/bubbletea/v2"

	"lnfit/engine"
)

// The units room (u) and the data it and the fit plot's kink row draw:
// Trainer.Units of the picked lane, taken in refresh only while someone
// looks (it costs a grid pass forward and backward), and kept while the
// net is unchanged (a paused run's keys do not recompute it).

// unitsRoom is the units room; its state is its page.
type unitsRoom struct {
	page int
	w, h int

	// the last report and what it was taken from
	cache    unitsFrame
	cacheKey unitsKey
}

// unitsKey says whether a report is still the net's: the lane, its step,
// and its prediction on the grid (a reset or a rewind to the same step
// changes the prediction).
type unitsKey struct {
	lane *engine.Trainer
	step int64
	pred uint64
	name string
}

func (r *unitsRoom) SetSize(w, h int) { r.w, r.h = w, h }

func (r *unitsRoom) View(f *frame, st styles) string {
	if len(f.units.Lanes) == 0 { // a follower whose teacher has not sent its units yet
		return block(" units · the teacher's units arrive with its next frame (u or esc closes)", r.w, r.h)
	}
	body, _ := renderUnitsRoom(f.units, r.w, r.h, r.page, st)
	return body
}

var unitsSeed = maphash.MakeSeed()

func predSig(p []float64) uint64 {
	var h maphash.Hash
	h.SetSeed(unitsSeed)
	var b [8]byte
	for _, v := range p {
		u := math.Float64bits(v)
		for i := range b {
			b[i] = byte(u >> (8 * i))
		}
		h.Write(b[:])
	}
	return h.Sum64()
}

// unitsOf is the picked lane's units (from the cache when the net is the same).
func (m *Model) unitsOf(snap *engine.Snapshot) unitsFrame {
	s := m.session
	l := s.Lane(m.sel)
	name := ""
	if len(s.Lanes()) > 1 {
		name = string(rune('A'+m.sel)) + " " + l.Config().Optimizer
	}
	key := unitsKey{l, l.Step(), predSig(snap.Pred), name}
	if key != m.units.cacheKey || len(m.units.cache.Lanes) == 0 {
		f := unitsFrame{Lanes: []engine.UnitReport{l.Units(engine.DefaultPlotPoints)}}
		if name != "" {
			f.Names = []string{name}
		}
		m.units.cache, m.units.cacheKey = f, key
	}
	return m.units.cache
}

func (m *Model) unitsOpen() bool {
	return m.mode == modeUnits || m.mode == modeHelp && m.back == modeUnits
}

// kinkRowOn: the plots are on screen with their kink row (a smooth
// activation has none; a follower cannot tell, and asks).
func (m *Model) kinkRowOn() bool {
	plots := m.mode == modePlots || m.mode == modeHelp && m.back == modePlots
	if !plots || m.plots.kinksOff {
		return false
	}
	if m.role.following() {
		return true
	}
	a := m.session.Lane(m.sel).Config().Activation
	return a == "relu" || a == "leaky-relu"
}

// unitsWanted: this dashboard, or (a teacher's) a follower, draws the units.
func (m *Model) unitsWanted() bool {
	return m.unitsOpen() || m.kinkRowOn() || m.role.teaching() && m.role.hub.unitsWant.Load() > 0
}

// countUnits keeps the hub's count of followers that draw the units (the
// teacher takes them only while someone does), as countLab does for the lab.
func (m *Model) countUnits() {
	want := m.role.following() && (m.unitsOpen() || m.kinkRowOn())
	if want != m.unitsCounted {
		d := int64(1)
		if !want {
			d = -1
		}
		m.role.hub.unitsWant.Add(d)
		m.unitsCounted = want
		if want {
			m.role.hub.notify() // a paused teacher draws a frame with its units now, not at its next key
		}
	}
}

// unitsPages is how many pages the room has at this size.
func (m *Model) unitsPages() int {
	if len(m.frame.units.Lanes) == 0 || m.width < minWidth || m.height < minHeight {
		return 1
	}
	_, n := renderUnitsRoom(m.frame.units, m.width, m.layout().bodyH, 0, m.st)
	return n
}

// turnPage is pgdn/→ (next) and pgup/← (back); at an end it says so.
func (m *Model) turnPage(next bool) tea.Cmd {
	n := m.unitsPages()
	p := max(0, min(m.units.page, n-1))
	to := p - 1
	if next {
		to = p + 1
	}
	switch {
	case n == 1:
		m.units.page = 0
		m.say(false, "the units fit on one page: nothing to turn")
	case to < 0:
		m.units.page = 0
		m.say(false, "the first page of the units (pgdn or → turns on)")
	case to >= n:
		m.units.page = n - 1
		m.say(false, "the last page of the units: pgup or ← turns back")
	default:
		m.units.page = to
	}
	return nil
}

// toggleUnits (u) opens the room, or closes it.
func (m *Model) toggleUnits(string) tea.Cmd {
	if m.mode == modeUnits {
		m.mode = modePlots
		return nil
	}
	m.toggle(modeUnits)
	m.units.page = 0 // a room opened afresh starts at its first page
	m.say(false, "the units room: pgdn or → next page, pgup or ← back, u or esc closes")
	return nil
}

// kinksKey (K) turns the fit plot's kink row off or on.
func (m *Model) kinksKey(string) tea.Cmd {
	m.plots.kinksOff = !m.plots.kinksOff
	if m.plots.kinksOff {
		m.say(false, "kink row under the fit plot: off (K shows it again)")
	} else {
		m.say(false, "kink row under the fit plot: on where the screen has room (K hides it)")
	}
	return nil
}
