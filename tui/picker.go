package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"lnfit/engine/runner"
	"lnfit/presets"
)

// pickKind says what a picker chooses.
type pickKind int

const (
	pickPreset pickKind = iota
	pickLesson
)

// picker is the room of one list to choose from: presets or lessons. Its
// keys are entries of the action table (↑ ↓ enter esc, and p or L again).
type picker struct {
	kind  pickKind
	title string
	rows  []pickRow
	idx   int
	w, h  int
}

// pickRow is one choice: its name on the list, and what it is about, shown
// whole under the list for the chosen row (never cut to fit a line).
type pickRow struct{ name, about string }

func (m *Model) openPicker(kind pickKind, rows []pickRow, idx int) {
	title := " choose a preset"
	if kind == pickLesson {
		title = " choose a lesson"
	}
	m.picker = picker{kind: kind, title: title, rows: rows, idx: max(0, min(idx, len(rows)-1))}
	if m.mode != modePicker && m.mode != modeHelp {
		m.back = m.mode
	}
	m.mode = modePicker
}

func (p *picker) move(d int) {
	n := len(p.rows)
	p.idx = (p.idx + d + n) % n
}

// closes says why key does not close this list ("" it does: p closes the
// preset list, L the lesson list).
func (p *picker) closes(kind pickKind, key string) string {
	if p.kind == kind {
		return ""
	}
	return key + " does nothing in this list: ↑/↓ move, enter chooses, esc cancels"
}

func (m *Model) closePicker() {
	m.mode = m.back
	if m.mode == modePicker {
		m.mode = modePlots
	}
}

// pick applies the picker's choice. A preset changes the setup, so it
// passes the same lesson check as every key that does.
func (m *Model) pick(string) tea.Cmd {
	m.closePicker()
	switch m.picker.kind {
	case pickPreset:
		if m.lessonActive() {
			m.say(true, "the lesson sets up the run: a preset does nothing until it ends (L ends it)")
			return nil
		}
		pr, _ := presets.Get(presets.Names()[m.picker.idx])
		cfg := pr.Config
		cfg.Seed = m.session.Main().Config().Seed
		if err := m.session.Start(pr.Name, cfg); err != nil {
			m.say(true, "preset %s: %v", pr.Name, err)
			return nil
		}
		m.run, m.sel = runner.New(m.session, nil), 0
		m.restarted()
		m.say(false, "preset: %s", pr.Name)
	case pickLesson:
		l := runner.Lessons[m.picker.idx]
		if !m.startLesson(l) {
			return nil
		}
		m.restarted()
		m.say(false, "lesson: %s — space continues at each caption", l.Title)
		if m.run.Waiting || m.run.Done {
			m.pause()
			return nil
		}
	}
	if m.running {
		return m.resume()
	}
	return nil
}

func (p *picker) SetSize(w, h int) { p.w, p.h = w, h }

func (p *picker) View(_ *frame, st styles) string {
	w, h := p.w, p.h
	lines := []string{st.Title.Render(p.title) + st.Dim.Render("  ↑/↓ move · enter choose · esc cancel"), ""}
	about := wrapWords(p.rows[p.idx].about, w-2, 4)
	// Keep the chosen row in view on short screens, and its text below.
	room := max(h-4-len(about), 1)
	first := max(0, min(p.idx-room/2, len(p.rows)-room))
	for i := first; i < len(p.rows) && i < first+room; i++ {
		row := p.rows[i].name
		if i == p.idx {
			if st.color {
				row = st.Picked.Render(truncate(" "+row, w))
			} else {
				row = truncate("▸"+row, w)
			}
		} else {
			row = truncate(" "+row, w)
		}
		lines = append(lines, row)
	}
	lines = append(lines, "")
	for _, l := range about {
		lines = append(lines, st.Dim.Render(" "+l))
	}
	return block(strings.Join(lines, "\n"), w, h)
}

func presetRows() []pickRow {
	var rows []pickRow
	for _, p := range presets.All {
		rows = append(rows, pickRow{p.Name, p.Teach})
	}
	return rows
}

func lessonRows() []pickRow {
	var rows []pickRow
	for _, l := range runner.Lessons {
		rows = append(rows, pickRow{l.Name, l.Title})
	}
	return rows
}
