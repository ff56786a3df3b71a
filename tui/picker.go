package tui

import (
	"fmt"
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
	rows  []string
	idx   int
	w, h  int
}

func (m *Model) openPicker(kind pickKind, rows []string, idx int) {
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
		m.startLesson(l)
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
	// Keep the chosen row in view on short screens.
	room := max(h-3, 1)
	first := max(0, min(p.idx-room/2, len(p.rows)-room))
	for i := first; i < len(p.rows) && i < first+room; i++ {
		row := p.rows[i]
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
	return block(strings.Join(lines, "\n"), w, h)
}

func presetRows() []string {
	var rows []string
	for _, p := range presets.All {
		rows = append(rows, fmt.Sprintf("%-21s %s", p.Name, p.Teach))
	}
	return rows
}

func lessonRows() []string {
	var rows []string
	for _, l := range runner.Lessons {
		rows = append(rows, fmt.Sprintf("%-12s %s", l.Name, l.Title))
	}
	return rows
}
