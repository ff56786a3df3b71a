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
// selected fork to every follower, X ends the selected session. Its keys,
// q's question and the teacher's footer are in classroom_room_keys.go.

// classRoom is the class room's state: its cursor and sort column.
type classRoom struct {
	cursor  int // a seat id (rows move under a live sort; the cursor stays on its student)
	sortBy  int // index into classColumns
	polling bool
	asked   bool   // q asked "end the class?": the next q ends it
	ending  int    // X asked "end this session?" of this seat: the next X ends it
	shown   string // whose fork enter showed, until the hub shows it no more
	copied  bool   // this fork is a copy of a shown fork (not the teacher's run)
	w, h    int
	rows    []seatRow // the last frame's, for the cursor's keys
	chosen  bool      // the teacher picked a sort column (until then: met while a challenge runs)
	// This dashboard's training through advance (train.go), restarts and
	// rewinds included: a fork's challenge clocks. cpu is the time the pool
	// charged it: seconds of its fair share of the cores, not wall clock.
	trained int64
	cpu     time.Duration
}

// classColumns are the columns the list sorts by.
var classColumns = []string{"joined", "name", "from", "state", "step", "mse", "met", "cpu"}

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
		f.followers, f.forks = hub.classCount()
		f.address, f.code, f.showing = m.opts.Address, m.opts.ClassCode, hub.showing()
		if m.mode == modeClass || m.back == modeClass {
			f.challenge = hub.challengeText()
			if f.challenge != "" && !m.class.chosen { // a race is ranked until the teacher sorts otherwise
				m.class.sortBy = indexOf(classColumns, "met")
			}
			f.class = sortRows(hub.roster(), m.class.sortBy)
		}
		m.class.rows = f.class
		if m.class.shown != "" && f.showing != m.class.shown { // the shown student followed again, or left
			m.say(false, "%s's fork is shown no more: the followers see your run", m.class.shown)
			m.class.shown = f.showing
		}
		if _, why := m.picked(); why != "" && len(f.class) > 0 {
			m.class.cursor = f.class[0].id // the first row until the teacher picks one
		}
		return
	}
	if m.role.following() && f.runPace.ramp {
		f.pace = "ramp" // > and < are the teacher's keys: no "to leave" for a follower
	}
	if m.role.following() && m.mode != modeTimeline && f.timeline != "" {
		// The teacher's scrub, shown to a follower: t and esc are the teacher's keys there.
		f.timeline = strings.Replace(f.timeline, " · t/esc back to live · ", " · the teacher is looking back · ", 1)
	}
	if m.opts.Seat == 0 || len(f.snaps) == 0 {
		f.race = m.studentRace(0)
		return
	}
	fig := seatFigures{forked: m.role.kind == roleFork, copied: m.class.copied}
	if fig.forked {
		s := f.snap()
		fig.label, fig.step, fig.mse, fig.mseOn = f.label, s.Step, s.Metrics.MSEAbove001, s.Metrics.MSEAboveOn
		fig.trained, fig.cpu = m.class.trained, m.class.cpu
		if len(f.verdicts) > 0 {
			fig.verdict, _, _ = strings.Cut(f.verdicts[min(f.sel, len(f.verdicts)-1)].Kind, "-") // collapsed-mean: collapsed
		}
	}
	if news := hub.report(m.opts.Seat, fig, f); news != "" {
		m.say(false, "%s", news) // before the frame takes the message line
	}
	f.race = m.studentRace(m.class.trained)
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
	case "met": // the challenge's ranking: steps, then seconds
		less = func(a, b *seatRow) bool {
			return a.met && (!b.met || a.metAt < b.metAt || a.metAt == b.metAt && a.metCPU < b.metCPU)
		}
	case "cpu":
		less = func(a, b *seatRow) bool {
			return a.met && (!b.met || a.metCPU < b.metCPU || a.metCPU == b.metCPU && a.metAt < b.metAt)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return less(&rows[i], &rows[j]) })
	return rows
}

// View draws the list: a title line, the column heads, a row a session;
// narrower than 80 columns, one line that says so and what the class is doing.
func (r *classRoom) View(f *frame, st styles) string {
	forks, met := 0, 0
	for _, row := range f.class {
		forks += map[bool]int{true: 1}[row.forked]
		met += map[bool]int{true: 1}[row.met]
	}
	tally := fmt.Sprintf("%s, %s", plural(len(f.class), "session"), plural(forks, "fork"))
	if f.challenge != "" {
		tally += fmt.Sprintf(", %d met the challenge", met)
	}
	if r.w < 80 {
		lines := fitParts(r.w, fmt.Sprintf("the class room needs 80 columns (this terminal has %d)", r.w), tally, "esc back")
		return block(st.Msg.Render(strings.Join(lines, "\n")), r.w, r.h)
	}
	var lines []string
	for _, l := range fitParts(r.w, "the class: "+tally, "sorted by "+classColumns[r.sortBy]+" (← →)", "↑↓ pick", "esc back") { // enter and X: the key line
		lines = append(lines, st.Title.Render(l))
	}
	wide := r.w >= 120 // narrower: where from and since are on the picked row's line, not in columns
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
		for _, l := range fitParts(r.w, "showing "+f.showing+"'s fork to the class", "esc gives them your run again") {
			lines = append(lines, st.Msg.Render(l))
		}
	}
	if f.challenge != "" {
		for _, l := range fitParts(r.w, "challenge: "+f.challenge, "met: steps trained since the fork", "cpu: their seconds of fair CPU share") {
			lines = append(lines, st.Msg.Render(l))
		}
	}
	lines = append(lines, st.Dim.Render(cut(classLine(r.w, wide, "name", "from", "since", "state", "step", mseHead(f.class), "verdict", "met", "cpu", "changed"), r.w)))
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
		state, step, mse, verdict, met, cpu, changed := "follows", "—", "—", "—", "", "", "—"
		if row.forked {
			state, step, mse, verdict = "fork", shortCount(float64(row.step)), mseCell(row.mse), row.verdict
			changed = changedFrom(f.label, row.label)
		}
		switch {
		case row.met:
			met, cpu = shortCount(float64(row.metAt)), seconds(row.metCPU)
		case row.over:
			met = "over" // past the challenge's steps without meeting it
		case row.copied && f.challenge != "":
			met = "copy" // of a shown fork: not in the race
		case row.forked && f.challenge != "":
			met = "-" // still trying
		}
		line := classLine(r.w, wide, row.name, row.from, since(f.now, row.since), state, step, mse, verdict, met, cpu, changed)
		if row.id == r.cursor {
			line = st.Picked.Render("▸" + line[1:])
		}
		lines = append(lines, line)
	}
	return block(strings.Join(lines, "\n"), r.w, r.h)
}

// mseCell is an MSE in the column's 8 cells, whole: a cut number reads
// as another value (2329.3188 cut was 2329.318).
func mseCell(v float64) string {
	if s := engine.FormatValue(v); len(s) <= 8 {
		return s
	}
	return fmt.Sprintf("%.2e", v)
}

// mseHead is the mse column's head: where the forks' MSE is measured, as
// the engine says (x ≥ 0.01 for ln only); plain "mse" when they differ.
func mseHead(rows []seatRow) string {
	on, n := "", 0
	for _, r := range rows {
		if r.forked && (n == 0 || r.mseOn == on) {
			on, n = r.mseOn, n+1
		} else if r.forked {
			return "mse"
		}
	}
	switch on {
	case engine.AboveWhole:
		return "mse all"
	case engine.AbovePoints:
		return "mse pts"
	case "":
		return "mse"
	}
	return "mse≥.01"
}

// classLine lays out one row in fixed columns; the label takes the rest.
func classLine(w int, wide bool, name, from, since, state, step, mse, verdict, met, cpu, changed string) string {
	cell := func(s string, n int) string { return fmt.Sprintf("%-*s", n, cut(s, n)) + " " }
	line := " " + cell(name, min(maxSeatName, 10+max(w-80, 0)/4)) // the name grows with the width, to all it keeps
	if wide {
		line += cell(from, 15) + cell(since, 5)
	}
	line += cell(state, 7) + cell(step, 6) + cell(mse, 8) + cell(verdict, 10) + cell(met, 5) + cell(cpu, 5)
	return line + fitChanges(changed, max(w-ansi.StringWidth(line), 0))
}

// fitChanges keeps the changes that fit in w cells, shortened to their new
// values where the whole does not fit ("nesterov · normal"), and counts the
// rest ("nesterov +1"): a change is never left out silently.
func fitChanges(changed string, w int) string {
	if ansi.StringWidth(changed) <= w {
		return changed
	}
	parts := strings.Split(changed, " · ")
	for i, p := range parts {
		if _, to, ok := strings.Cut(p, " → "); ok {
			parts[i] = to // "optimizer → nesterov": the column heads say what changed
		}
	}
	for k := len(parts); k >= 1; k-- {
		s := strings.Join(parts[:k], " · ")
		if k < len(parts) {
			s += fmt.Sprintf(" +%d", len(parts)-k)
		}
		if ansi.StringWidth(s) <= w {
			return s
		}
	}
	if n := fmt.Sprintf("%d changes", len(parts)); len(parts) > 1 && ansi.StringWidth(n) <= w {
		return n
	}
	return ansi.Truncate(changed, w, "…")
}
