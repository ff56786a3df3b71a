package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
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

// pickedMsg is the picker reporting a choice to the root model.
type pickedMsg struct {
	kind  pickKind
	index int
}

// picker is one list to choose from: presets or lessons.
type picker struct {
	kind   pickKind
	title  string
	rows   []string
	idx    int
	closed bool
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

func (p picker) update(msg tea.KeyPressMsg, k keyMap) (picker, tea.Cmd) {
	n := len(p.rows)
	switch {
	case key.Matches(msg, k.PickUp):
		p.idx = (p.idx - 1 + n) % n
	case key.Matches(msg, k.PickDown):
		p.idx = (p.idx + 1) % n
	case key.Matches(msg, k.PickEnter):
		p.closed = true
		choice := pickedMsg{p.kind, p.idx}
		return p, func() tea.Msg { return choice }
	case key.Matches(msg, k.PickCancel), msg.String() == "p" && p.kind == pickPreset, msg.String() == "L" && p.kind == pickLesson:
		p.closed = true
	}
	return p, nil
}

func (p picker) view(w, h int, st styles) string {
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
