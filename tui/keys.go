package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// keyMap is every key the dashboard answers, in one place; the key line and
// the help overlay are drawn from it and list only what works now.
type keyMap struct {
	Pause, Step                 key.Binding
	NextOpt, PrevOpt            key.Binding
	NextInit, PrevInit          key.Binding
	Reset, NewSeed              key.Binding
	LRUp, LRDown                key.Binding
	BatchUp, BatchDown          key.Binding
	Faster, Slower              key.Binding
	Preset, Activation          key.Binding
	LogScale, LogSteps          key.Binding
	Smooth, Save                key.Binding
	Race, AddLane, NextLane     key.Binding
	InitLab, ErrorView, Lesson  key.Binding
	Map                         key.Binding
	Help, Quit                  key.Binding
	PickUp, PickDown, PickEnter key.Binding
	PickCancel                  key.Binding
	Fork, Follow                key.Binding // the classroom's broadcast: a student's own copy, and back
}

func newKeyMap() keyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return keyMap{
		Pause:      b([]string{"space"}, "space", "pause / run"),
		Step:       b([]string{"n"}, "n", "one step"),
		NextOpt:    b([]string{"o"}, "o", "next optimizer"),
		PrevOpt:    b([]string{"O"}, "O", "previous optimizer"),
		NextInit:   b([]string{"i"}, "i", "next init (restarts)"),
		PrevInit:   b([]string{"I"}, "I", "previous init"),
		Reset:      b([]string{"r"}, "r", "reset, same seed"),
		NewSeed:    b([]string{"R"}, "R", "reset, new seed"),
		LRUp:       b([]string{"+", "="}, "+", "lr up"),
		LRDown:     b([]string{"-", "_"}, "-", "lr down"),
		BatchUp:    b([]string{"]"}, "]", "larger batch"),
		BatchDown:  b([]string{"["}, "[", "smaller batch"),
		Faster:     b([]string{">", "."}, ">", "faster"),
		Slower:     b([]string{"<", ","}, "<", "slower"),
		Preset:     b([]string{"p"}, "p", "preset"),
		Activation: b([]string{"a"}, "a", "activation (restarts)"),
		LogScale:   b([]string{"l"}, "l", "log / linear loss"),
		LogSteps:   b([]string{"x"}, "x", "log / linear steps"),
		Smooth:     b([]string{"s"}, "s", "smoothed loss"),
		Save:       b([]string{"w"}, "w", "save the network"),
		Race:       b([]string{"c"}, "c", "race / end race"),
		AddLane:    b([]string{"C"}, "C", "add a lane"),
		NextLane:   b([]string{"tab"}, "tab", "next lane"),
		InitLab:    b([]string{"h"}, "h", "init lab"),
		ErrorView:  b([]string{"e"}, "e", "error vs x"),
		Lesson:     b([]string{"L"}, "L", "lesson"),
		Map:        b([]string{"m"}, "m", "collapse map"),
		Help:       b([]string{"?"}, "?", "help"),
		Quit:       b([]string{"q", "ctrl+c"}, "q", "quit"),
		PickUp:     b([]string{"up", "k"}, "↑", "up"),
		PickDown:   b([]string{"down", "j"}, "↓", "down"),
		PickEnter:  b([]string{"enter"}, "enter", "choose"),
		PickCancel: b([]string{"esc", "q"}, "esc", "cancel"),
		Fork:       b([]string{"f"}, "f", "fork: your own copy"),
		Follow:     b([]string{"F"}, "F", "follow the teacher"),
	}
}

// setupKeys change what the run is; a lesson owns the setup while it runs.
func (k keyMap) setupKeys() []key.Binding {
	return []key.Binding{k.Step, k.NextOpt, k.PrevOpt, k.NextInit, k.PrevInit, k.Reset, k.NewSeed,
		k.LRUp, k.LRDown, k.BatchUp, k.BatchDown, k.Preset, k.Activation, k.Race, k.AddLane}
}

// keyState is what decides which keys work.
type keyState struct {
	running, racing, lesson, diverged bool
	broadcast, following              bool // a student of a broadcast, and following the teacher now
}

// enable turns bindings on and off for the state, so matching and help agree.
func (k *keyMap) enable(s keyState) {
	for _, b := range []*key.Binding{&k.Step, &k.NextOpt, &k.PrevOpt, &k.NextInit, &k.PrevInit, &k.Reset, &k.NewSeed,
		&k.LRUp, &k.LRDown, &k.BatchUp, &k.BatchDown, &k.Preset, &k.Activation, &k.Race, &k.AddLane} {
		b.SetEnabled(!s.lesson)
	}
	k.Step.SetEnabled(!s.lesson && !s.running && !s.diverged)
	k.AddLane.SetEnabled(!s.lesson && s.racing)
	k.NextLane.SetEnabled(s.racing)
	k.Fork.SetEnabled(s.following)
	k.Follow.SetEnabled(s.broadcast && !s.following)
	if s.following { // the teacher's keys drive the run; a follower's only look
		for _, b := range []*key.Binding{&k.Pause, &k.Faster, &k.Slower, &k.Lesson, &k.Save, &k.NextLane} {
			b.SetEnabled(false)
		}
		for _, b := range []*key.Binding{&k.Step, &k.NextOpt, &k.PrevOpt, &k.NextInit, &k.PrevInit, &k.Reset, &k.NewSeed,
			&k.LRUp, &k.LRDown, &k.BatchUp, &k.BatchDown, &k.Preset, &k.Activation, &k.Race, &k.AddLane} {
			b.SetEnabled(false)
		}
	}
}

// pressed reports whether msg is one of the bindings' keys, enabled or not:
// for saying why a key does nothing now.
func pressed(msg tea.KeyPressMsg, bs ...key.Binding) bool {
	s := msg.String()
	for _, b := range bs {
		for _, k := range b.Keys() {
			if k == s {
				return true
			}
		}
	}
	return false
}

// helpRow is one line of the help overlay: keys that belong together.
type helpRow struct {
	keys string
	desc string
	with []key.Binding // listed when any of them is enabled
}

// helpGroups is the overlay's content, in columns.
func (k keyMap) helpGroups() [][]helpRow {
	r := func(keys, desc string, bs ...key.Binding) helpRow { return helpRow{keys, desc, bs} }
	return [][]helpRow{
		{
			r("space", "pause / run", k.Pause),
			r("n", "one step (paused)", k.Step),
			r("> <", "faster / slower", k.Faster, k.Slower),
			r("r R", "reset: same / new seed", k.Reset, k.NewSeed),
			r("p", "choose a preset", k.Preset),
			r("L", "choose or end a lesson", k.Lesson),
		},
		{
			r("o O", "next / previous optimizer", k.NextOpt, k.PrevOpt),
			r("+ -", "learning rate up / down", k.LRUp, k.LRDown),
			r("] [", "batch larger / smaller", k.BatchUp, k.BatchDown),
			r("i I", "next / previous init", k.NextInit, k.PrevInit),
			r("a", "next activation", k.Activation),
		},
		{
			r("c", "start / end a race", k.Race),
			r("C", "add a lane", k.AddLane),
			r("tab", "pick the next lane", k.NextLane),
			r("h", "init lab", k.InitLab),
			r("e", "error against x", k.ErrorView),
			r("m", "collapse map", k.Map),
		},
		{
			r("f", "fork: your own copy", k.Fork),
			r("F", "follow the teacher", k.Follow),
			r("l", "log / linear loss axis", k.LogScale),
			r("x", "log / linear step axis", k.LogSteps),
			r("s", "smoothed loss", k.Smooth),
			r("w", "save the network", k.Save),
			r("?", "this help", k.Help),
			r("q", "quit", k.Quit),
		},
	}
}

func anyEnabled(bs []key.Binding) bool {
	for _, b := range bs {
		if b.Enabled() {
			return true
		}
	}
	return false
}

// shortHelp is the key line: it always starts with ? and q, then fits as
// many of the working keys as the width allows.
func (k keyMap) shortHelp(w int, st styles) string {
	items := [][2]string{{"?", "help"}, {"q", "quit"}}
	for _, b := range []key.Binding{k.Fork, k.Follow, k.Pause, k.Step, k.NextOpt, k.NextInit, k.LRUp, k.Race, k.NextLane, k.Reset,
		k.Faster, k.Preset, k.Lesson, k.InitLab, k.ErrorView, k.Map} {
		if b.Enabled() {
			items = append(items, [2]string{b.Help().Key, shortDesc(b.Help().Desc)})
		}
	}
	var out []string
	used := 0
	for i, it := range items {
		cell := st.Title.Render(it[0]) + " " + st.Dim.Render(it[1])
		cw := lipgloss.Width(cell)
		sep := 0
		if i > 0 {
			sep = 3
		}
		if used+sep+cw > w-1 {
			break
		}
		out = append(out, cell)
		used += sep + cw
	}
	return " " + strings.Join(out, st.Dim.Render(" · "))
}

// shortDesc keeps a description's first words for the key line.
func shortDesc(d string) string {
	if i := strings.Index(d, " ("); i > 0 {
		return d[:i]
	}
	return d
}
