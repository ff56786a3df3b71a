package tui

import (
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Keys never queue without bound. Bubble Tea calls View after every
// message, and each key used to rebuild the frame (a snapshot of every
// lane) and draw the whole screen: ~0.55 ms a key at 80×24, so a 10 KB paste
// of l kept q waiting for seconds. Now a key only changes state; the frame
// is rebuilt and drawn at most once a frame (frameMsg, or the next tick),
// and View returns the last drawing until then. At most maxKeysPerFrame
// keys are answered a frame, the rest are dropped (and counted on the
// message line); a run of n keys is one batch of steps; q and Ctrl-C are
// answered at once whatever came before them; a bracketed paste is ignored.
const (
	maxKeysPerFrame = 32
	maxPendingSteps = 1000 // n keys queued beyond this are one step too many to mean it
)

// The largest window drawn: a bigger one is drawn at this size (its
// corner), and nothing is allocated for the rest.
const maxWidth, maxHeight = 500, 200

// input is the key batching state of one frame.
type input struct {
	handled, dropped int   // keys this frame
	steps            int64 // n steps queued for the next frame
	pending          bool  // a frameMsg is on its way
	dirty            bool  // keys changed state since the frame was built
	lastFrame        time.Time
	gate             *gate // the terminal's input gate (nil: none, or not ours to read)
	gateSeen         int64 // bytes it had dropped at the last frame
	view             *viewCache
}

func newInput() input { return input{view: &viewCache{}} }

// frameMsg asks for the frame to be rebuilt and drawn after keys.
type frameMsg struct{}

// keys answers one key message (several runes, when typed faster than
// they are read) by the action table.
func (m Model) keys(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	for _, k := range splitKeys(msg) {
		a := m.resolve(k)
		if k != "q" && k != "ctrl+c" && k != "esc" {
			m.class.asked = false // the teacher's question lasts one key
		}
		if k != "X" && k != "esc" {
			m.class.ending = 0 // and so does X's
		}
		if a != nil && a.quits {
			m.pendingSteps() // the n keys before it, within one frame's budget
			if cmd := a.do(&m, k); cmd != nil {
				m.refresh()   // the last screen shows where the run ended
				return m, cmd // never behind other keys
			}
			continue // the teacher was asked first (quitKey)
		}
		if a == nil || !a.batch {
			m.pendingSteps() // keys act in the order they came
		}
		if m.in.handled >= maxKeysPerFrame {
			m.in.dropped++
			continue
		}
		m.in.handled++
		if cmd := m.pressKey(k); cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	m.in.dirty = true
	if m.in.dropped > 0 {
		m.say(true, "%d keys dropped: typed faster than the screen is drawn (at most %d a frame)", m.in.dropped, maxKeysPerFrame)
	}
	return m, tea.Batch(append(cmds, m.frameSoon())...)
}

// splitKeys turns a message of several runes into one key each.
func splitKeys(msg tea.KeyPressMsg) []string {
	r := []rune(msg.Text)
	if len(r) <= 1 {
		return []string{msg.String()}
	}
	out := make([]string, 0, min(len(r), 2*maxKeysPerFrame))
	for _, c := range r {
		out = append(out, tea.KeyPressMsg{Code: c, Text: string(c)}.String())
	}
	return out
}

// frameSoon makes sure the keys' changes reach the screen within a frame:
// a running dashboard draws at its next tick; a still one asks for a frame
// one frame after the last (at once after a quiet spell).
func (m *Model) frameSoon() tea.Cmd {
	if m.running && !m.role.following() || m.in.pending {
		return nil
	}
	m.in.pending = true
	wait := max(m.in.lastFrame.Add(frameTime30).Sub(m.now()), 0)
	return tea.Tick(wait, func(time.Time) tea.Msg { return frameMsg{} })
}

// viewCache is the last screen drawn, for the frame it was drawn from. It
// is shared by copies of a Model, so it is keyed by the frame's serial.
type viewCache struct {
	serial  uint64
	w, h    int
	text    string
	renders int // screens actually drawn (the key tests count them)
	frames  int // frames built
}

// frameSerial names every frame built, across every Model.
var frameSerial atomic.Uint64

// clampSize keeps a window within what the dashboard draws.
func clampSize(w, h int) (int, int) { return max(min(w, maxWidth), 0), max(min(h, maxHeight), 0) }

// Filter is a Bubble Tea message filter (tea.WithFilter) that clamps window
// sizes before the renderer allocates its screen buffer for them: a
// 65535×65535 window is drawn, and buffered, at maxWidth×maxHeight.
func Filter(_ tea.Model, msg tea.Msg) tea.Msg {
	if s, ok := msg.(tea.WindowSizeMsg); ok {
		s.Width, s.Height = clampSize(s.Width, s.Height)
		return s
	}
	return msg
}
