package tui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"lnfit/engine"
)

// The teacher's class room (k): every student's session in one list, live
// from the hub's seats, sorted by a chosen column; enter shows the
// selected fork to every follower, X ends the selected session. Also here:
// the teacher's footer (the ssh line and the class code) and q's question.

// classRoom is the class room's state: its cursor and sort column.
type classRoom struct {
	cursor  int // a seat id (rows move under a live sort; the cursor stays on its student)
	sortBy  int // index into classColumns
	polling bool
	asked   bool // q asked "end the class?": the next q ends it
	w, h    int
	rows    []seatRow // the last frame's, for the cursor's keys
}

// classColumns are the columns the list sorts by.
var classColumns = []string{"joined", "name", "from", "state", "step", "mse", "met"}

func (r *classRoom) SetSize(w, h int) { r.w, r.h = w, h }

// classPollMsg redraws the class room while it is open: the students'
// figures change without the teacher's run (or keys) changing.
type classPollMsg struct{}

const classPoll = 250 * time.Millisecond

func (m *Model) classPoll() tea.Cmd {
	if m.mode != modeClass && m.back != modeClass {
		m.class.polling = false
		return nil
	}
	m.class.polling = true
	return tea.Tick(classPoll, func(time.Time) tea.Msg { return classPollMsg{} })
}

// classFrame puts the class into the teacher's frame, and a student's
// figures onto their seat (each frame built).
func (m *Model) classFrame(f *frame) {
	hub := m.role.hub
	if hub == nil {
		return
	}
	if m.role.teaching() {
		f.address, f.code, f.showing = m.opts.Address, m.opts.ClassCode, hub.showing()
		if m.mode == modeClass || m.back == modeClass {
			f.class = sortRows(hub.roster(), m.class.sortBy)
			f.challenge = hub.challengeText()
		}
		m.class.rows = f.class
		if _, why := m.picked(); why != "" && len(f.class) > 0 {
			m.class.cursor = f.class[0].id // the first row until the teacher picks one
		}
		return
	}
	if m.opts.Seat == 0 || len(f.snaps) == 0 {
		return
	}
	fig := seatFigures{forked: m.role.kind == roleFork}
	if fig.forked {
		s := f.snap()
		fig.label, fig.step, fig.mse = f.label, s.Step, s.Metrics.MSEAbove001
		if len(f.verdicts) > 0 {
			fig.verdict, _, _ = strings.Cut(f.verdicts[min(f.sel, len(f.verdicts)-1)].Kind, "-") // collapsed-mean: collapsed
		}
	}
	hub.report(m.opts.Seat, fig, f)
}

// sortRows orders the rows by column c (ties: the order they joined).
func sortRows(rows []seatRow, c int) []seatRow {
	less := func(a, b *seatRow) bool { return a.id < b.id }
	switch classColumns[c] {
	case "name":
		less = func(a, b *seatRow) bool { return a.name < b.name }
	case "from":
		less = func(a, b *seatRow) bool { return a.from < b.from }
	case "state":
		less = func(a, b *seatRow) bool { return a.forked && !b.forked }
	case "step":
		less = func(a, b *seatRow) bool { return a.step > b.step }
	case "mse":
		less = func(a, b *seatRow) bool { return a.forked && (!b.forked || a.mse < b.mse) }
	case "met":
		less = func(a, b *seatRow) bool { return a.met && (!b.met || a.metAt < b.metAt) }
	}
	sort.SliceStable(rows, func(i, j int) bool { return less(&rows[i], &rows[j]) })
	return rows
}

// View draws the list: a title line, the column heads, a row a session.
func (r *classRoom) View(f *frame, st styles) string {
	title := fmt.Sprintf(" the class · %d session%s · sorted by %s (← →) · ↑↓ pick · esc back", len(f.class),
		map[bool]string{true: "", false: "s"}[len(f.class) == 1], classColumns[r.sortBy])
	lines := []string{st.Title.Render(cut(title, r.w))}
	wide := r.w >= 100 // narrower: where from and since are on the picked row's line, not in columns
	if !wide {
		detail := " ↑↓ picks a student"
		for _, row := range f.class {
			if row.id == r.cursor {
				detail = fmt.Sprintf(" ▸ %s from %s, here %s", row.name, row.from, since(f.now, row.since))
			}
		}
		lines = append(lines, cut(detail, r.w))
	}
	if f.showing != "" {
		lines = append(lines, st.Msg.Render(cut(" showing "+f.showing+"'s fork to the class: esc gives them your run again", r.w)))
	}
	if f.challenge != "" {
		lines = append(lines, st.Msg.Render(cut(" challenge: "+f.challenge+" · met: steps since the fork", r.w)))
	}
	lines = append(lines, st.Dim.Render(cut(classLine(r.w, wide, "name", "from", "since", "state", "step", "mse≥.01", "verdict", "met", "changed"), r.w)))
	if len(f.class) == 0 {
		lines = append(lines, st.Dim.Render(cut(" nobody yet: students connect with the ssh line below", r.w)))
	}
	top := 0
	room := r.h - len(lines)
	for i, row := range f.class {
		if row.id == r.cursor && i >= room {
			top = i - room + 1 // the cursor's row stays on screen
		}
	}
	for i := top; i < len(f.class) && len(lines) < r.h; i++ {
		row := &f.class[i]
		state, step, mse, verdict, met, changed := "follows", "—", "—", "—", "", "—"
		if row.forked {
			state, step, mse, verdict = "fork", shortCount(float64(row.step)), engine.FormatValue(row.mse), row.verdict
			changed = strings.TrimPrefix(row.label, f.label+" · ") // what the fork changed from the teacher's run
		}
		switch {
		case row.met:
			met = shortCount(float64(row.metAt))
		case row.forked && f.challenge != "":
			met = "-" // still trying
		}
		line := classLine(r.w, wide, row.name, row.from, since(f.now, row.since), state, step, mse, verdict, met, changed)
		if row.id == r.cursor {
			line = st.Picked.Render("▸" + line[1:])
		}
		lines = append(lines, line)
	}
	return block(strings.Join(lines, "\n"), r.w, r.h)
}

// classLine lays out one row in fixed columns; the label takes the rest.
func classLine(w int, wide bool, name, from, since, state, step, mse, verdict, met, changed string) string {
	cell := func(s string, n int) string { return fmt.Sprintf("%-*s", n, cut(s, n)) + " " }
	line := " " + cell(name, 8)
	if wide {
		line += cell(from, 15) + cell(since, 5)
	}
	line += cell(state, 7) + cell(step, 6) + cell(mse, 8) + cell(verdict, 10) + cell(met, 5)
	return line + cut(changed, max(w-ansi.StringWidth(line), 0))
}

// cut shortens s to w cells without a mark (the list is read by column).
func cut(s string, w int) string { return ansi.Truncate(s, max(w, 0), "") }

// since is how long ago t was, in a few cells: 45s, 12m, 1h05.
func since(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", max(int(d.Seconds()), 0))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh%02d", int(d.Hours()), int(d.Minutes())%60)
}

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
	m.say(false, "the class sorted by %s", classColumns[m.class.sortBy])
	return nil
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
	m.say(false, "showing %s's fork to every follower: esc gives them your run again", r.name)
	return nil
}

func (m *Model) endSeat(string) tea.Cmd {
	r, why := m.picked()
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
	case m.role.teaching() && m.role.hub.showing() != "":
		m.role.hub.unshow()
		m.say(false, "the followers see your run again")
	case m.mode == modeClass:
		m.toggle(modeClass)
	default:
		m.say(false, "esc: nothing to cancel here")
	}
	return nil
}

// quitKey is q: it ends the class at once only when nobody would lose it.
func (m *Model) quitKey(key string) tea.Cmd {
	n := m.role.followers()
	if key == "ctrl+c" || n == 0 || m.class.asked {
		return tea.Quit
	}
	m.class.asked = true
	m.say(true, "end the class for %d student%s? q again / esc", n, map[bool]string{true: "", false: "s"}[n == 1])
	return nil
}

// classFooter is the teacher's line with what to give the students.
func (m Model) classFooter(w int) string {
	f := &m.frame
	if f.role != roleTeacher || f.address == "" {
		return ""
	}
	s := " students: " + f.address
	if f.code != "" {
		s += " · class code " + f.code
	}
	if tail := " · k: the class"; ansi.StringWidth(s+tail) <= w { // the lines to give first: the hint goes when both doors fill the width
		s += tail
	}
	return m.st.Dim.Render(cut(s, w))
}
