package tui

import (
	tea "charm.land/bubbletea/v2"

	"lnfit/engine"
	"lnfit/engine/runner"
	"lnfit/presets"
)

// actions is the action table. A room's own entries come before the global
// ones, so in that room they win (↑ in the picker moves the cursor).
var actions []action

func init() { actions = actionTable() } // the handlers look the table up: built after it is declared

func actionTable() []action {
	list := modesOf(modePicker)
	mp := modesOf(modeMap)
	return []action{
		// The picker: a list that takes every key.
		{keys: []string{"up", "k"}, modes: list, roles: anyone, do: func(m *Model, _ string) tea.Cmd { m.picker.move(-1); return nil }},
		{keys: []string{"down", "j"}, modes: list, roles: anyone, do: func(m *Model, _ string) tea.Cmd { m.picker.move(1); return nil }},
		{keys: []string{"enter"}, lineAt: 1, line: "choose", modes: list, roles: anyone, do: (*Model).pick},
		{keys: []string{"esc", "q"}, lineAt: 2, line: "cancel", modes: list, roles: anyone, do: func(m *Model, _ string) tea.Cmd { m.closePicker(); return nil }},
		{keys: []string{"p"}, modes: list, roles: anyone, when: func(m *Model) string { return m.picker.closes(pickPreset, "p") },
			do: func(m *Model, _ string) tea.Cmd { m.closePicker(); return nil }},
		{keys: []string{"L"}, modes: list, roles: anyone, when: func(m *Model) string { return m.picker.closes(pickLesson, "L") },
			do: func(m *Model, _ string) tea.Cmd { m.closePicker(); return nil }},
		{keys: []string{"ctrl+c"}, modes: list, roles: anyone, quits: true, do: (*Model).quitKey}, // a teacher with students is asked

		// The help overlay scrolls (↑ ↓ only: k is the teacher's class room, everywhere but the lists).
		{keys: []string{"up"}, help: "↑ ↓", desc: "scroll this help", group: 3, modes: modesOf(modeHelp), roles: anyone,
			do: func(m *Model, _ string) tea.Cmd { m.scrollHelp(-1); return nil }},
		{keys: []string{"down"}, modes: modesOf(modeHelp), roles: anyone, do: func(m *Model, _ string) tea.Cmd { m.scrollHelp(1); return nil }},

		// The collapse map: a cursor, and enter restarts the run at its cell.
		{keys: []string{"left"}, modes: mp, roles: anyone, do: func(m *Model, _ string) tea.Cmd { m.cmap.move(m, -1, 0); return nil }},
		{keys: []string{"right"}, modes: mp, roles: anyone, do: func(m *Model, _ string) tea.Cmd { m.cmap.move(m, 1, 0); return nil }},
		{keys: []string{"up"}, modes: mp, roles: anyone, do: func(m *Model, _ string) tea.Cmd { m.cmap.move(m, 0, 1); return nil }},
		{keys: []string{"down"}, modes: mp, roles: anyone, do: func(m *Model, _ string) tea.Cmd { m.cmap.move(m, 0, -1); return nil }},
		{keys: []string{"enter"}, modes: mp, roles: trainers, setup: true, when: func(m *Model) string { return m.cmap.whyNotEnter(m) },
			do: (*Model).restartAtCell},
		{keys: []string{"esc"}, modes: mp, roles: anyone, do: func(m *Model, _ string) tea.Cmd { m.mode = modePlots; return nil }},

		// The timeline (timeline.go): t looks back at the kept moments, in the
		// room on screen; its keys are these, the setup keys do nothing there.
		{keys: []string{"t"}, help: "t", desc: "timeline: look back", lineAt: 18, line: "timeline", group: 2,
			modes: timelineModes | modesOf(modeTimeline, modeHelp), roles: anyone, when: whyNotTimelineHere, do: (*Model).openTimeline},
		{keys: []string{"esc"}, help: "esc", desc: "timeline: back to the live run", lineAt: 1, line: "live run", group: 2, modes: modesOf(modeTimeline), roles: anyone,
			do: (*Model).timelineEsc},
		{keys: []string{"left"}, help: "← →", desc: "timeline: a moment back / on", lineAt: 2, line: "moment", group: 2, modes: modesOf(modeTimeline), roles: anyone,
			when: whyNotTimelineMove, do: func(m *Model, _ string) tea.Cmd { m.moveTimeline(-1, false); return nil }},
		{keys: []string{"right"}, modes: modesOf(modeTimeline), roles: anyone, when: whyNotTimelineMove,
			do: func(m *Model, _ string) tea.Cmd { m.moveTimeline(1, false); return nil }},
		{keys: []string{"shift+left"}, help: "⇧← ⇧→", desc: "timeline: a decade of steps back / on", group: 2, modes: modesOf(modeTimeline), roles: anyone,
			when: whyNotTimelineMove, do: func(m *Model, _ string) tea.Cmd { m.moveTimeline(-1, true); return nil }},
		{keys: []string{"shift+right"}, modes: modesOf(modeTimeline), roles: anyone, when: whyNotTimelineMove,
			do: func(m *Model, _ string) tea.Cmd { m.moveTimeline(1, true); return nil }},
		{keys: []string{"enter"}, help: "enter", desc: "timeline: branch from the moment", lineAt: 3, line: "branch here", group: 2,
			modes: modesOf(modeTimeline), roles: trainers, setup: true, do: (*Model).branch},
		{keys: []string{"space"}, help: "space", desc: "back to the live run, and pause / run it", modes: modesOf(modeTimeline), roles: trainers,
			do: func(m *Model, _ string) tea.Cmd {
				m.tl.resume = false
				m.closeTimeline("")
				return m.space() // a lesson's space moves it on from the timeline too
			}},
		{keys: []string{"f"}, help: "f", desc: "fork: your own copy", lineAt: 7, line: "fork the live run", group: 3, modes: modesOf(modeTimeline),
			roles: rolesOf(roleFollower), do: func(m *Model, k string) tea.Cmd {
				var at int64 = -1 // F-C6: the copy is of the live run, not the moment on screen
				if m.tl.keep != nil && m.tl.keep.Len() > 0 {
					at = m.tl.keep.At(m.tl.at).Step
				}
				m.closeTimeline("")
				cmd := m.fork(k)
				if at >= 0 {
					m.say(false, "%s: the live run, not step %s on screen (in your copy t, ← and enter branch there)", m.msg, engine.Commas(at))
				}
				return cmd
			}},
		{keys: []string{"?"}, help: "?", desc: "this help", lineAt: -2, line: "help", group: 3, modes: modesOf(modeTimeline), roles: anyone, do: (*Model).timelineHelp},
		// These twin global keys (and ? above): their ? rows share the global ones' keys and column.
		{keys: []string{"w"}, help: "w", desc: "save the moment on screen", lineAt: 4, line: "save this moment", group: 3,
			modes: modesOf(modeTimeline), roles: trainers, do: (*Model).saveMoment},
		{keys: []string{"h"}, help: "h", desc: "the moment's init lab", lineAt: 5, line: "its init lab", group: 2, modes: modesOf(modeTimeline), roles: anyone,
			do: func(m *Model, _ string) tea.Cmd { m.timelineInner(modeLab); return nil }},
		{keys: []string{"e"}, help: "e", desc: "the moment's error against x", lineAt: 6, line: "its error vs x", group: 2, modes: modesOf(modeTimeline), roles: anyone,
			do: func(m *Model, _ string) tea.Cmd { m.timelineInner(modeError); return nil }},
		{keys: []string{"u"}, help: "u", desc: "the moment's units", lineAt: 7, line: "its units", group: 2, modes: modesOf(modeTimeline), roles: anyone,
			do: func(m *Model, _ string) tea.Cmd { m.timelineInner(modeUnits); return nil }},
		{keys: []string{"pgdown"}, lineAt: 8, line: "next page of units", modes: modesOf(modeTimeline), roles: anyone,
			when: whyNotMomentPage, do: with((*Model).turnPage, true)},
		{keys: []string{"pgup"}, modes: modesOf(modeTimeline), roles: anyone, when: whyNotMomentPage, do: with((*Model).turnPage, false)},
		{keys: []string{"l"}, help: "l", desc: "log / linear loss axis", group: 3, modes: modesOf(modeTimeline), roles: anyone, do: plotsToggle('l')},
		{keys: []string{"x"}, help: "x", desc: "log / linear step axis", group: 3, modes: modesOf(modeTimeline), roles: anyone, do: plotsToggle('x')},
		{keys: []string{"s"}, help: "s", desc: "smoothed loss", group: 3, modes: modesOf(modeTimeline), roles: anyone, do: plotsToggle('s')},
		{keys: []string{"q", "ctrl+c"}, help: "q", desc: "quit", lineAt: -1, line: "quit", group: 3, modes: modesOf(modeTimeline), roles: anyone, quits: true, do: (*Model).quitKey},
		// The teacher's class room (issue 23, classroom_room.go): a list of every session; k opens it, esc
		// answers q's question, then ends a show, then leaves the room.
		{keys: []string{"up"}, modes: modesOf(modeClass), roles: teacher, do: with((*Model).moveClass, false)},
		{keys: []string{"down"}, modes: modesOf(modeClass), roles: teacher, do: with((*Model).moveClass, true)},
		{keys: []string{"left"}, modes: modesOf(modeClass), roles: teacher, do: with((*Model).sortClass, false)},
		{keys: []string{"right"}, modes: modesOf(modeClass), roles: teacher, do: with((*Model).sortClass, true)},
		{keys: []string{"enter"}, lineAt: 1, line: "show this fork", modes: modesOf(modeClass), roles: teacher, when: whyNotShow, do: (*Model).showFork},
		{keys: []string{"X"}, lineAt: 2, line: "end this session", modes: modesOf(modeClass), roles: teacher, when: whyNotNarrowClass, do: (*Model).endSeat},
		{keys: []string{"esc"}, modes: body &^ modesOf(modeUnits), roles: anyone, do: (*Model).classEsc}, // the units room closes on its own esc
		{keys: []string{"k"}, help: "k", desc: "the class room", lineAt: 17, line: "the class", group: 3, modes: body, roles: teacher, do: (*Model).classKey},

		// Everywhere but the picker: the run.
		{keys: []string{"space"}, help: "space", desc: "pause / run", lineAt: 3, line: "pause / run", modes: body, roles: trainers,
			when: whyNotSpace, do: func(m *Model, _ string) tea.Cmd { return m.space() }},
		{keys: []string{"n"}, help: "n", desc: "one step (paused)", lineAt: 4, line: "one step", modes: body, roles: trainers, setup: true,
			batch: true, when: whyNotStep, do: (*Model).step},
		{keys: []string{">", "."}, help: "> <", desc: "faster / slower", lineAt: 11, line: "faster", modes: body, roles: trainers, do: with((*Model).changePace, true)},
		{keys: []string{"<", ","}, modes: body, roles: trainers, do: with((*Model).changePace, false)},
		{keys: []string{"r"}, help: "r R", desc: "reset: same / new seed", lineAt: 10, line: "reset, same seed", modes: body, roles: trainers, setup: true, do: with((*Model).reset, false)},
		{keys: []string{"R"}, modes: body, roles: trainers, setup: true, do: with((*Model).reset, true)},
		{keys: []string{"p"}, help: "p", desc: "choose a preset", lineAt: 12, line: "preset", modes: body, roles: trainers, setup: true,
			do: func(m *Model, _ string) tea.Cmd {
				m.openPicker(pickPreset, presetRows(), max(indexOf(presets.Names(), m.session.Origin), 0))
				return nil
			}},
		{keys: []string{"L"}, help: "L", desc: "choose or end a lesson", lineAt: 13, line: "lesson", modes: body, roles: trainers, do: (*Model).lessonKey},

		{keys: []string{"o"}, help: "o O", desc: "next / previous optimizer", lineAt: 5, line: "next optimizer", group: 1, modes: body, roles: trainers, setup: true,
			do: with((*Model).cycleOptimizer, true)},
		{keys: []string{"O"}, modes: body, roles: trainers, setup: true, do: with((*Model).cycleOptimizer, false)},
		{keys: []string{"+", "="}, help: "+ -", desc: "learning rate up / down", lineAt: 7, line: "lr up", group: 1, modes: body, roles: trainers, setup: true,
			when: whyNotLRUp, do: with((*Model).changeLR, true)},
		{keys: []string{"-", "_"}, modes: body, roles: trainers, setup: true, do: with((*Model).changeLR, false)},
		{keys: []string{"]"}, help: "] [", desc: "batch larger / smaller", group: 1, modes: body, roles: trainers, setup: true, do: with((*Model).changeBatch, true)},
		{keys: []string{"["}, modes: body, roles: trainers, setup: true, do: with((*Model).changeBatch, false)},
		{keys: []string{"i"}, help: "i I", desc: "next / previous init", lineAt: 6, line: "next init", group: 1, modes: body, roles: trainers, setup: true,
			do: with((*Model).cycleInit, true)},
		{keys: []string{"I"}, modes: body, roles: trainers, setup: true, do: with((*Model).cycleInit, false)},
		{keys: []string{"a"}, help: "a", desc: "next activation", group: 1, modes: body, roles: trainers, setup: true, do: (*Model).cycleActivation},
		// Targets (issue 24): y Y cycle the built-in functions (tui/targetkeys.go);
		// their help row is in group 2, the left column, which has room at 80×24.
		{keys: []string{"y"}, help: "y Y", desc: "next / previous target", group: 2, modes: body, roles: trainers, setup: true,
			do: with((*Model).cycleTarget, true)},
		{keys: []string{"Y"}, modes: body, roles: trainers, setup: true, do: with((*Model).cycleTarget, false)},

		{keys: []string{"c"}, help: "c", desc: "start / end a race", lineAt: 8, line: "race / end race", group: 2, modes: body, roles: trainers, setup: true,
			do: (*Model).race},
		{keys: []string{"C"}, help: "C", desc: "add a lane", group: 2, modes: body, roles: trainers, setup: true, when: whyNotRacing("C adds a lane to a race"),
			do: (*Model).addLane},
		{keys: []string{"tab"}, help: "tab", desc: "pick the next lane", lineAt: 9, line: "next lane", group: 2, modes: body, roles: trainers,
			when: whyNotRacing("tab picks a lane in a race"), do: (*Model).nextLane},
		{keys: []string{"h"}, help: "h", desc: "init lab", lineAt: 14, line: "init lab", group: 2, modes: body, roles: anyone,
			do: func(m *Model, _ string) tea.Cmd { m.toggle(modeLab); return nil }},
		{keys: []string{"e"}, help: "e", desc: "error against x", lineAt: 15, line: "error vs x", group: 2, modes: body, roles: anyone,
			do: func(m *Model, _ string) tea.Cmd { m.toggle(modeError); return nil }},
		{keys: []string{"m"}, help: "m", desc: "collapse map", lineAt: 16, line: "collapse map", group: 2, modes: body, roles: anyone, do: (*Model).mapKey},

		// The units room and the kink row (issue 21): u opens the room from any body room (a look key: followers
		// too), its pages turn, u or esc closes; K hides the fit plot's kink row (k is the class room's).
		{keys: []string{"u"}, help: "u", desc: "units: every unit's kink", lineAt: 17, line: "units", group: 2, modes: body, roles: anyone,
			do: (*Model).toggleUnits},
		{keys: []string{"pgdown", "right"}, help: "pgdn →", desc: "next page of units", lineAt: 1, line: "next page", group: 2, modes: modesOf(modeUnits),
			roles: anyone, do: with((*Model).turnPage, true)},
		{keys: []string{"pgup", "left"}, help: "pgup ←", desc: "previous page of units", group: 2, modes: modesOf(modeUnits), roles: anyone,
			do: with((*Model).turnPage, false)},
		{keys: []string{"esc"}, lineAt: 2, line: "close units", modes: modesOf(modeUnits), roles: anyone,
			do: func(m *Model, _ string) tea.Cmd { m.mode = modePlots; return nil }},
		{keys: []string{"K"}, help: "K", desc: "kink row on / off", group: 3, modes: body, roles: anyone, do: (*Model).kinksKey},

		{keys: []string{"f"}, help: "f", desc: "fork: your own copy", lineAt: 1, line: "fork: your own copy", group: 3, modes: body, roles: rolesOf(roleFollower),
			do: (*Model).fork},
		{keys: []string{"F"}, help: "F", desc: "follow the teacher", lineAt: 2, line: "follow the teacher", group: 3, modes: body, roles: rolesOf(roleFork),
			do: (*Model).followAgain},
		{keys: []string{"l"}, help: "l", desc: "log / linear loss axis", group: 3, modes: body, roles: anyone, do: func(m *Model, _ string) tea.Cmd {
			m.say(false, "%s", m.plots.toggle('l'))
			return nil
		}},
		{keys: []string{"x"}, help: "x", desc: "log / linear step axis", group: 3, modes: body, roles: anyone, do: func(m *Model, _ string) tea.Cmd {
			m.say(false, "%s", m.plots.toggle('x'))
			return nil
		}},
		{keys: []string{"s"}, help: "s", desc: "smoothed loss", group: 3, modes: body, roles: anyone, do: func(m *Model, _ string) tea.Cmd {
			m.say(false, "%s", m.plots.toggle('s'))
			return nil
		}},
		{keys: []string{"w"}, help: "w", desc: "save the network", group: 3, modes: body, roles: trainers, do: func(m *Model, _ string) tea.Cmd { m.save(); return nil }},
		// Export (issue 25, exportkey.go): the history, the curve and the figure beside the save file.
		{keys: []string{"E"}, help: "E", desc: "export: history, curve, figure", group: 2, modes: body, roles: trainers, do: (*Model).exportKey},
		// A follower's space turns the pages of a caption a small screen cuts (60×16); else it is the teacher's.
		{keys: []string{"space"}, help: "space", desc: "the caption's next part (a small screen)", modes: body, roles: rolesOf(roleFollower),
			when: whyNotFollowerSpace, do: (*Model).followerSpace},
		// A follower's w and E (finding 17): the run on screen is the teacher's, so they give its token and its
		// headless command, as a student's own session does (resolve picks the entry of the key for the role).
		{keys: []string{"w"}, help: "w", desc: "the token of the teacher's run", group: 3, modes: body, roles: rolesOf(roleFollower),
			do: func(m *Model, _ string) tea.Cmd { m.showToken(); return nil }},
		{keys: []string{"E"}, help: "E", desc: "export: the command that makes the files at home", group: 2, modes: body,
			roles: rolesOf(roleFollower), do: (*Model).homeExport},
		{keys: []string{"?"}, help: "?", desc: "this help", lineAt: -2, line: "help", group: 3, modes: body, roles: anyone, do: func(m *Model, _ string) tea.Cmd {
			m.help.scroll = 0
			m.toggle(modeHelp)
			m.refresh()
			m.sizeRooms() // the help's length at this size, for its scroll
			return nil
		}},
		{keys: []string{"q", "ctrl+c"}, help: "q", desc: "quit", lineAt: -1, line: "quit", group: 3, modes: body, roles: anyone, quits: true, do: (*Model).quitKey},
	}
}

func quit(*Model, string) tea.Cmd { return tea.Quit }

// with makes a handler of a two-way action (next/previous, up/down): the
// entry says which way, so no handler reads the key.
func with(f func(*Model, bool) tea.Cmd, way bool) func(*Model, string) tea.Cmd {
	return func(m *Model, _ string) tea.Cmd { return f(m, way) }
}

func (m *Model) scrollHelp(d int) {
	if why := m.help.scrollBy(d); why != "" {
		m.say(false, "%s", why)
		m.help.said = why
	} else if m.msg == m.help.said { // it moved: "the end of the help" is no longer true
		m.msg = ""
	}
}

func whyNotStep(m *Model) string {
	switch {
	case m.running:
		return "n steps once while paused: press space first"
	case m.session.AllDiverged():
		return "the run diverged: r resets, - lowers the learning rate"
	}
	return ""
}

// After a divergence (finding "the key line still offers space and +"):
// space has nothing to run and a higher lr nothing to save, so the key
// line and ? leave them out and the key says why.
func whyNotSpace(m *Model) string {
	r := m.run
	if r.Waiting || r.Lesson != nil || m.running || !m.session.AllDiverged() {
		return "" // space continues a lesson, pauses, or runs
	}
	return "the run diverged: r resets, - lowers the learning rate first"
}

func whyNotLRUp(m *Model) string {
	if m.session.AllDiverged() {
		return "the run diverged: a higher learning rate cannot bring it back; r resets, - lowers it first"
	}
	return ""
}

func whyNotRacing(what string) func(m *Model) string {
	return func(m *Model) string {
		if m.session.Racing() {
			return ""
		}
		return what + ": c starts one"
	}
}

// step queues one training step: a run of n keys is coalesced into one
// call that takes them all (within a frame's budget, through the pool like
// any training) at the next other key, q, or the next frame.
func (m *Model) step(string) tea.Cmd {
	m.in.steps = min(m.in.steps+1, maxPendingSteps)
	return nil
}

func (m *Model) changePace(faster bool) tea.Cmd {
	m.say(false, "%s", m.pace.change(faster))
	if m.running { // restart the chain at the new pace
		return m.resume()
	}
	return nil
}

func (m *Model) reset(newSeed bool) tea.Cmd {
	seed := m.session.Lane(m.sel).Config().Seed
	if newSeed {
		seed++
		m.say(false, "reset with a new seed: %d", seed)
	} else {
		m.say(false, "reset: seed %d, step 0", seed)
	}
	m.session.Reset(seed)
	m.restarted()
	return nil
}

func (m *Model) lessonKey(string) tea.Cmd {
	if m.lessonActive() {
		m.run.EndLesson()
		m.say(false, "lesson ended: the run is yours; L picks a lesson again")
		return nil
	}
	m.openPicker(pickLesson, lessonRows(), 0)
	return nil
}

func (m *Model) mapKey(string) tea.Cmd {
	if len(m.frame.snaps) == 0 {
		m.say(true, "the teacher's run has not reached this screen yet: m opens its map once it has")
		return nil
	}
	if m.mode == modeMap {
		m.mode = modePlots
		return nil
	}
	return m.openMap()
}

// fork asks the teacher for a copy of the run.
func (m *Model) fork(string) tea.Cmd {
	hub := m.role.hub
	m.say(false, "forking %s: a copy is on its way", whoseRun(hub.showing()))
	return func() tea.Msg { s, whose, err := hub.fork(); return forkedMsg{s, err, whose} }
}

// whoseRun names the run a follower sees: the teacher's, or a shown fork.
func whoseRun(shown string) string {
	if shown != "" {
		return shown + "'s fork"
	}
	return "the teacher's run"
}

func (m *Model) followAgain(string) tea.Cmd {
	m.role.kind = roleFollower
	m.pause()
	if f, ok := m.role.hub.latest(); ok { // the teacher's run at once, not at its next frame
		m.shared = f
	}
	m.say(false, "following the teacher again; f makes a copy of your own")
	return nil
}

// forked turns a follower into a fork: a solo run from the teacher's state.
func (m *Model) forked(msg forkedMsg) tea.Cmd {
	if msg.err != nil {
		m.say(true, "no copy: %v; still following", msg.err)
		return nil
	}
	if !m.role.following() {
		return nil // F came first, or a second f: this copy is not wanted
	}
	m.role.kind = roleFork
	m.session, m.run, m.sel = msg.s, runner.New(msg.s, nil), 0
	m.pace = forkPace(m.shared.runPace, m.now()) // classroom_room_challenge.go
	m.pace.lastStep = msg.s.Step()
	m.say(false, "your own copy from step %s of %s: the same weights and batches; F follows the teacher again",
		engine.Commas(msg.s.Step()), whoseRun(msg.whose))
	if m.class.copied = msg.whose != ""; m.class.copied && m.role.hub.challengeText() != "" {
		m.say(false, "your own copy from step %s of %s: a copy of a shown fork is not in the challenge (F, then f, for one of the teacher's run)",
			engine.Commas(msg.s.Step()), whoseRun(msg.whose))
		return m.resume()
	}
	if m.forkWaits(msg.whose) { // the class room's challenge (classroom_room_challenge.go)
		return nil
	}
	return m.resume()
}
