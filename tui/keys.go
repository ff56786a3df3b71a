package tui

import "github.com/charmbracelet/bubbles/key"

// keyMap is every key the dashboard answers, in one place; the help line and
// the help overlay are drawn from it.
type keyMap struct {
	Pause, Step                 key.Binding
	NextOpt, PrevOpt            key.Binding
	NextInit, PrevInit          key.Binding
	Reset, NewSeed              key.Binding
	LRUp, LRDown                key.Binding
	BatchUp, BatchDown          key.Binding
	Faster, Slower              key.Binding
	Preset, Activation          key.Binding
	LogScale, Smooth, Save      key.Binding
	Race, AddLane, NextLane     key.Binding
	InitLab, ErrorView, Lesson  key.Binding
	Help, Quit                  key.Binding
	PickUp, PickDown, PickEnter key.Binding
	PickCancel                  key.Binding
}

func newKeyMap() keyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return keyMap{
		Pause:      b([]string{" "}, "space", "pause/run"),
		Step:       b([]string{"n"}, "n", "one step (paused)"),
		NextOpt:    b([]string{"o"}, "o/O", "optimizer"),
		PrevOpt:    b([]string{"O"}, "O", "previous optimizer"),
		NextInit:   b([]string{"i"}, "i/I", "init"),
		PrevInit:   b([]string{"I"}, "I", "previous init"),
		Reset:      b([]string{"r"}, "r", "reset (same seed)"),
		NewSeed:    b([]string{"R"}, "R", "reset (new seed)"),
		LRUp:       b([]string{"+", "="}, "+/-", "lr ×2/÷2"),
		LRDown:     b([]string{"-", "_"}, "-", "lr ÷2"),
		BatchUp:    b([]string{"]"}, "]/[", "batch"),
		BatchDown:  b([]string{"["}, "[", "smaller batch"),
		Faster:     b([]string{">", "."}, ">/<", "speed"),
		Slower:     b([]string{"<", ","}, "<", "slower"),
		Preset:     b([]string{"p"}, "p", "preset"),
		Activation: b([]string{"a"}, "a", "activation"),
		LogScale:   b([]string{"l"}, "l", "log/linear loss"),
		Smooth:     b([]string{"s"}, "s", "smoothed loss"),
		Save:       b([]string{"w"}, "w", "save network"),
		Race:       b([]string{"c"}, "c", "race"),
		AddLane:    b([]string{"C"}, "C", "add a lane"),
		NextLane:   b([]string{"tab"}, "tab", "next lane"),
		InitLab:    b([]string{"h"}, "h", "init lab"),
		ErrorView:  b([]string{"e"}, "e", "error vs x"),
		Lesson:     b([]string{"L"}, "L", "lesson"),
		Help:       b([]string{"?"}, "?", "help"),
		Quit:       b([]string{"q", "ctrl+c"}, "q", "quit"),
		PickUp:     b([]string{"up", "k"}, "↑/k", "up"),
		PickDown:   b([]string{"down", "j"}, "↓/j", "down"),
		PickEnter:  b([]string{"enter"}, "enter", "choose"),
		PickCancel: b([]string{"esc", "p", "q"}, "esc", "cancel"),
	}
}

// ShortHelp is the line always on screen.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Pause, k.Step, k.NextOpt, k.NextInit, k.Race, k.Reset, k.LRUp, k.Faster, k.Preset, k.Help, k.Quit}
}

// FullHelp is the ? overlay, in columns.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Pause, k.Step, k.Faster, k.Slower, k.Reset, k.NewSeed},
		{k.NextOpt, k.PrevOpt, k.LRUp, k.LRDown, k.BatchUp, k.BatchDown},
		{k.NextInit, k.PrevInit, k.Activation, k.Preset, k.Lesson},
		{k.Race, k.AddLane, k.NextLane, k.InitLab, k.ErrorView},
		{k.LogScale, k.Smooth, k.Save, k.Help, k.Quit},
	}
}
