package tui

import (
	"fmt"
	"slices"
	"sort"

	tea "charm.land/bubbletea/v2"
)

// An action is one entry of the dashboard's action table: its keys, its
// help, where and for whom it works, whether it changes the setup (then a
// running lesson refuses it, with the reason) and what it does. The key
// line, the ? overlay, every refusal and the follower's and fork's keys
// are derived from the table; adding a key is adding one entry.
type action struct {
	keys   []string // as tea.KeyPressMsg.String() spells them; the first is shown
	help   string   // the ? row's keys ("o O"); "" joins the row of the entry before
	desc   string   // the ? row's text
	line   string   // the key line's text ("" not on it)
	lineAt int      // its place on the key line (what a newcomer needs first comes first)
	group  int      // the ? column
	modes  modeSet  // where it works
	roles  roleSet  // who may use it
	setup  bool     // changes what the run is: refused while a lesson runs
	quits  bool     // answered at once, however many keys came before it
	batch  bool     // a run of it is coalesced into one batch (n: the steps are taken together)
	// when says why the action does nothing in this state ("" it works).
	when func(m *Model) string
	do   func(m *Model, key string) tea.Cmd
}

// modeSet is the rooms an action works in.
type modeSet uint32 // one bit a mode: room for 32

func modesOf(ms ...mode) modeSet {
	var s modeSet
	for _, md := range ms {
		s |= 1 << md
	}
	return s
}

func (s modeSet) has(md mode) bool { return s&(1<<md) != 0 }

// body is every room but the picker, whose list takes all keys.
var body = modesOf(modePlots, modeLab, modeError, modeHelp, modeMap, modeClass, modeUnits)

// resolve finds the action key means in the current room: a room's own
// entries come first in the table, so they win over the global ones. A key
// with an entry for this role (a follower's w) takes it; else the first
// entry for the room, which then says why it is not this role's.
func (m *Model) resolve(key string) *action {
	var first *action
	for i := range actions {
		a := &actions[i]
		if m.keyModes(a) && a.bound(key) {
			if a.roles.has(m.role.kind) {
				return a
			}
			if first == nil {
				first = a
			}
		}
	}
	return first
}

// keyModes: a works in this room. The help over a moment of the timeline
// takes (and lists) the timeline's keys, besides its own scrolling: the
// run's keys would act on the live run behind the moment (timeline.go).
func (m *Model) keyModes(a *action) bool {
	if m.mode == modeHelp && m.back == modeTimeline {
		return a.modes.has(modeTimeline) || a.modes == modesOf(modeHelp)
	}
	return a.modes.has(m.mode)
}

func (a *action) bound(key string) bool {
	for _, k := range a.keys {
		if k == key {
			return true
		}
	}
	return false
}

// why is "" if a works now, or the one line that says why it does not.
// Every path that changes the run passes here: keys, the map's enter, the
// picker's choice.
func (m *Model) why(a *action, key string) string {
	switch {
	case !m.keyModes(a):
		return key + " does nothing here (? lists the keys that work now)"
	case a.roles == teacher && !m.role.teaching():
		return key + " is the teacher's key in a broadcast class (lnfit --serve ADDR --broadcast)"
	case !a.roles.has(m.role.kind):
		return m.role.refusal(key)
	case a.setup && m.lessonActive():
		return "the lesson sets up the run: " + key + " does nothing until it ends (L ends it)"
	case a.when != nil:
		return a.when(m)
	}
	return ""
}

// works reports whether a works now.
func (m *Model) works(a *action) bool { return m.why(a, a.keys[0]) == "" }

// pressKey answers one key by the table: the action, or why nothing happens.
func (m *Model) pressKey(key string) tea.Cmd {
	a := m.resolve(key)
	if a == nil {
		m.say(true, "%s", m.unbound(key))
		return nil
	}
	if why := m.why(a, key); why != "" {
		m.say(true, "%s", why)
		return nil
	}
	said := m.said
	cmd := m.doMarked(a, key) // timeline.go: a setup change is a moment kept
	if m.said != said {
		m.msgMode = m.mode // a key that opened or closed a room said it for the room it left on screen
	}
	return cmd
}

// unbound says why a key with no action here does nothing.
func (m *Model) unbound(key string) string {
	if m.mode == modePicker {
		return key + " does nothing in this list: ↑/↓ move, enter chooses, esc cancels"
	}
	return key + " is not a key here: ? lists the keys that work now"
}

// helpRow is one line of the ? overlay: an entry and the ones joined to it.
type helpRow struct {
	keys, desc string
	group      int
	with       []*action
}

// helpRows is the table as the overlay lists it, in columns.
func helpRows() []helpRow {
	var rows []helpRow
	for i := range actions {
		a := &actions[i]
		switch {
		case a.help != "":
			rows = append(rows, helpRow{a.help, a.desc, a.group, []*action{a}})
		case len(rows) > 0 && a.desc == "":
			rows[len(rows)-1].with = append(rows[len(rows)-1].with, a)
		}
	}
	return rows
}

// rowWorks: a row is listed when any of its entries is what its key does
// here and works (an entry another one shadows in this room is not listed).
func (m *Model) rowWorks(r helpRow) bool {
	for _, a := range r.with {
		if m.resolve(a.keys[0]) == a && m.works(a) {
			return true
		}
	}
	return false
}

// workingRows is the ? overlay's rows that work now, by column.
func (m *Model) workingRows() [][]string {
	var cols [][]string
	for _, r := range helpRows() {
		for len(cols) <= r.group {
			cols = append(cols, nil)
		}
		if text := fmt.Sprintf("%-5s %s", r.keys, r.desc); m.rowWorks(r) && !slices.Contains(cols[r.group], text) {
			cols[r.group] = append(cols[r.group], text) // twin entries (a room's q beside the global q) are one row
		}
	}
	return cols
}

// lineItems is the key line's items that work now: the entries with a
// line text, by lineAt (? and q first).
func (m *Model) lineItems() [][2]string {
	var on []*action
	for i := range actions {
		if a := &actions[i]; a.line != "" && m.keyModes(a) && m.resolve(a.keys[0]) == a && m.works(a) {
			on = append(on, a)
		}
	}
	sort.SliceStable(on, func(i, j int) bool { return on[i].lineAt < on[j].lineAt })
	var items [][2]string
	for _, a := range on {
		items = append(items, [2]string{a.keys[0], a.line})
	}
	return items
}
