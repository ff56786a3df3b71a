package tui

// The class room's keys (the teacher's: pick, sort, show, end, quit) and
// the footer with what to give the students.

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// classKey is k: the class room, or back.
func (m *Model) classKey(string) tea.Cmd {
	m.toggle(modeClass)
	if m.mode == modeClass && !m.class.polling {
		return m.classPoll()
	}
	return nil
}

// moveClass moves the cursor to the next or previous row.
func (m *Model) moveClass(down bool) tea.Cmd {
	rows := m.class.rows
	if len(rows) == 0 {
		m.say(false, "nobody is connected yet")
		return nil
	}
	at := -1
	for i, r := range rows {
		if r.id == m.class.cursor {
			at = i
		}
	}
	next := at + 1
	if !down {
		next = at - 1
	}
	if at < 0 {
		next = 0
	}
	if next < 0 || next >= len(rows) {
		m.say(false, "the %s of the list", map[bool]string{true: "end", false: "top"}[down])
		return nil
	}
	m.class.cursor = rows[next].id
	return nil
}

func (m *Model) sortClass(right bool) tea.Cmd {
	n := len(classColumns)
	if right {
		m.class.sortBy = (m.class.sortBy + 1) % n
	} else {
		m.class.sortBy = (m.class.sortBy + n - 1) % n
	}
	m.class.chosen = true
	m.say(false, "the class sorted by %s", classColumns[m.class.sortBy])
	return nil
}

// whyNotNarrowClass refuses enter and X where the list is hidden: they
// would act on a student the teacher cannot see.
func whyNotNarrowClass(m *Model) string {
	if m.width < 80 { // the room's own width is the terminal's (room())
		return fmt.Sprintf("the class room needs 80 columns to pick a student (this terminal has %d)", m.width)
	}
	return ""
}

// whyNotShow is enter's: a picked follower has no fork to show.
func whyNotShow(m *Model) string {
	if why := whyNotNarrowClass(m); why != "" {
		return why
	}
	if r, why := m.picked(); why == "" && !r.forked {
		return r.name + " follows your run: only a fork can be shown (they press f for one)"
	}
	return ""
}

// picked is the row under the cursor, or why there is none.
func (m *Model) picked() (seatRow, string) {
	for _, r := range m.class.rows {
		if r.id == m.class.cursor {
			return r, ""
		}
	}
	return seatRow{}, "pick a student first: ↑ ↓"
}

func (m *Model) showFork(string) tea.Cmd {
	r, why := m.picked()
	if why == "" {
		why = m.role.hub.show(r.id)
	}
	if why != "" {
		m.say(true, "%s", why)
		return nil
	}
	m.class.shown = r.name
	m.say(false, "showing %s's fork to every follower: esc gives them your run again", r.name)
	return nil
}

func (m *Model) endSeat(string) tea.Cmd {
	r, why := m.picked()
	if why == "" && m.class.ending != r.id { // one stray X must not throw a student out
		m.class.ending = r.id
		m.say(true, "end %s's session? X again / esc", r.name)
		return nil
	}
	m.class.ending = 0
	if why == "" && !m.role.hub.end(r.id) {
		why = "that session has ended"
	}
	if why != "" {
		m.say(true, "%s", why)
		return nil
	}
	m.say(false, "ended %s's session (from %s)", r.name, r.from)
	return nil
}

// classEsc is esc for the teacher: the question first, then the show, then the room.
func (m *Model) classEsc(string) tea.Cmd {
	switch {
	case m.class.asked:
		m.class.asked = false
		m.say(false, "the class goes on")
	case m.class.ending != 0:
		m.class.ending = 0
		m.say(false, "the session goes on")
	case m.mode == modeHelp: // a follower's help (w, ?) closes on esc as a solo one does
		m.toggle(modeHelp)
	case m.role.teaching() && m.role.hub.showing() != "":
		m.role.hub.unshow()
		m.class.shown = ""
		m.say(false, "the followers see your run again")
	case m.mode == modeClass:
		m.toggle(modeClass)
	default:
		m.say(false, "esc: nothing to cancel here")
	}
	return nil
}

// quitKey is q and ctrl+c: they end the class at once only when nobody
// would lose it; otherwise they ask, and the same key again ends it.
func (m *Model) quitKey(key string) tea.Cmd {
	n := m.role.followers()
	if n == 0 || m.class.asked {
		return tea.Quit
	}
	m.class.asked = true
	m.say(true, "end the class for %d student%s? %s again / esc", n, map[bool]string{true: "", false: "s"}[n == 1], key)
	return nil
}

// classFooter is the teacher's lines with what to give the students: the
// doors (ssh, the web address) and the class code, each part whole, on a
// second line where one is too narrow; the k hint only where it fits.
func (m Model) classFooter(w int) string {
	f := &m.frame
	if f.role == roleFollower || f.role == roleFork {
		return m.raceFooter(w) // classroom_room_challenge.go
	}
	if f.role != roleTeacher || f.address == "" {
		return ""
	}
	doors := strings.Split(f.address, " · ") // serve.go joins the doors' lines so
	parts := append([]string{"students: " + doors[0]}, doors[1:]...)
	if f.code != "" {
		parts = append(parts, "class code "+f.code)
	}
	lines := fillParts(parts, w, 2)
	if last := len(lines) - 1; ansi.StringWidth(lines[last]+" · k: the class") <= w {
		lines[last] += " · k: the class"
	}
	for i, l := range lines {
		lines[i] = m.st.Dim.Render(ansi.Truncate(l, max(w, 0), "…"))
	}
	return strings.Join(lines, "\n")
}

// fillParts sets parts on at most n lines of width w, " · " between them,
// each whole where it fits (a part wider than a line is cut by the caller);
// parts that find no line are left out.
func fillParts(parts []string, w, n int) []string {
	var lines []string
	for _, p := range parts {
		if last := len(lines) - 1; last >= 0 && ansi.StringWidth(lines[last]+" · "+p) <= w {
			lines[last] += " · " + p
			continue
		}
		if len(lines) == n {
			break
		}
		lines = append(lines, " "+p)
	}
	return lines
}
