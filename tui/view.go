package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// The smallest terminal the dashboard draws in; below it, it says so.
const minWidth, minHeight = 60, 16

// View lays out the screen from the frame: header, body (the room on
// screen), caption, diagnostics, status, key line. It draws only when the
// frame changed since the last drawing (see input.go).
func (m Model) View() tea.View {
	c := m.in.view
	if c.serial != m.frame.serial || c.w != m.width || c.h != m.height {
		c.serial, c.w, c.h, c.text = m.frame.serial, m.width, m.height, m.render()
		c.renders++
	}
	v := tea.NewView(c.text)
	v.AltScreen = true
	v.WindowTitle = "lnfit · " + m.frame.label
	return v
}

func (m Model) render() string {
	w, h := m.width, m.height
	if w < minWidth || h < minHeight {
		return m.tooSmall()
	}
	if len(m.frame.snaps) == 0 { // a follower before the teacher's first frame
		return block(" lnfit · waiting for the teacher's run (q quits)", w, h)
	}
	l := m.layout()
	r := m.room() // a room of this copy of the model: sizing it here changes nothing outside render
	r.SetSize(w, l.bodyH)
	body := r.View(&m.frame, m.st)
	parts := []string{l.header, body}
	if l.caption != "" {
		parts = append(parts, l.caption)
	}
	if l.diag != "" {
		parts = append(parts, l.diag)
	}
	parts = append(parts, l.status, l.keyLine)
	return strings.Join(parts, "\n")
}

// layout is the screen's lines around the body, and the body's height.
type layout struct {
	header, diag, status, keyLine, caption string
	bodyH                                  int
}

func (m Model) layout() layout {
	w, h := m.width, m.height
	header := m.header(w)
	if m.frame.timeline != "" { // timeline.go: a kept moment is on screen, not the live run
		header = m.timelineLines(w) + "\n" + header
	}
	diag := m.diagnostics(w)
	if m.mode == modeHelp { // the keys need the room more than the numbers do while help is open
		diag = ""
	}
	status := m.statusLine(w)
	keyLine := m.keyLine(w)
	caption := m.caption(w)
	used := lipgloss.Height(header) + lipgloss.Height(status) + 1
	if ft := m.classFooter(w); ft != "" { // the teacher's ssh line, under the keys
		keyLine += "\n" + ft
		used++
	}
	if diag != "" {
		used += lipgloss.Height(diag)
	}
	bodyH := h - used
	if caption != "" {
		if bodyH-lipgloss.Height(caption) < 8 { // a short screen keeps the plots: a short caption
			caption = m.shortCaption(w)
		}
		bodyH -= lipgloss.Height(caption)
	}
	return layout{header, diag, status, keyLine, caption, bodyH}
}

// sizeRooms tells the room on screen its size after a frame is built (the
// help needs it to know where its scroll ends).
func (m *Model) sizeRooms() {
	if m.width < minWidth || m.height < minHeight || len(m.frame.snaps) == 0 {
		return
	}
	if m.mode == modeHelp {
		m.help.SetSize(m.width, m.layout().bodyH)
		m.help.lines = len(m.help.content(&m.frame, m.st))
	}
}

func (m Model) tooSmall() string {
	w, h := max(m.width, 1), max(m.height, 1)
	lines := []string{
		"lnfit needs a terminal of at least " + fmt.Sprintf("%d×%d", minWidth, minHeight),
		fmt.Sprintf("this one is %d×%d: please enlarge it", m.width, m.height),
		"(q quits)",
	}
	for i, l := range lines {
		lines[i] = truncate(l, w)
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return strings.Join(lines, "\n")
}

// wrapParts joins parts with sep, breaking lines between parts to fit w.
func wrapParts(parts []string, sep string, w int) string {
	var lines []string
	cur := ""
	for _, p := range parts {
		switch {
		case cur == "":
			cur = " " + p
		case lipgloss.Width(cur+sep+p) <= w:
			cur += sep + p
		default:
			lines = append(lines, cur)
			cur = " " + p
		}
	}
	lines = append(lines, cur)
	for i, l := range lines {
		lines[i] = truncate(l, w)
	}
	return strings.Join(lines, "\n")
}

// wrapItems joins items with sep into lines of at most w cells, breaking
// only between items (an item wider than w gets a line of its own).
func wrapItems(items []string, sep string, w int) []string {
	var lines []string
	cur := ""
	for _, it := range items {
		switch {
		case cur == "":
			cur = it
		case lipgloss.Width(cur)+lipgloss.Width(sep)+lipgloss.Width(it) <= w:
			cur += sep + it
		default:
			lines = append(lines, cur)
			cur = it
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// wrapWords wraps text at spaces to lines of at most w cells, at most
// maxLines lines (the last ends in … if text is longer).
func wrapWords(text string, w, maxLines int) []string {
	lines := wrapItems(strings.Fields(text), " ", w)
	for i, l := range lines {
		lines[i] = truncate(l, w) // a single word wider than w: cut, and marked
	}
	if len(lines) > maxLines {
		lines = lines[:maxLines]
		last := lines[maxLines-1]
		if lipgloss.Width(last)+2 > w {
			last = ansi.Truncate(last, w-2, "")
		}
		lines[maxLines-1] = last + " …"
	}
	return lines
}

func indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}

// shortCount writes 61234 as "61k" and 1.2e6 as "1.2M".
func shortCount(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.1fM", v/1e6)
	case v >= 1e4:
		return fmt.Sprintf("%.0fk", v/1e3)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}
