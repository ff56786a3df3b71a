package tui

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"lnfit/engine"
	"lnfit/engine/runner"
)

// exportKey is E: the run's loss history and curve as CSV and its figure
// as SVG, beside the file w saves to, by w's rule (never replacing a file
// this session did not write). A student's session writes nothing on the
// server: it says how to make the same files at home.
func (m *Model) exportKey(string) tea.Cmd {
	if m.opts.SavePath == "-" {
		return m.homeExport("")
	}
	path := m.savePathNow()
	written, err := m.exports.Beside(m.session, path)
	if err != nil {
		m.say(true, "not exported: %v (training goes on)", err)
		return nil
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		dir = filepath.Dir(path)
	}
	// Where the files went first: the message line keeps two lines, and a
	// cut there must not take the folder.
	m.say(false, "exported to %s: %s", engine.EscapeText(dir), shortNames(written))
	return nil
}

// homeExport is E where nothing is written (a student's session, a
// follower): the command that makes the files at home, for the run on
// screen — the frame's, so a follower's is the teacher's run.
func (m *Model) homeExport(string) tea.Cmd {
	f := &m.frame
	whose := "this run"
	if m.role.following() {
		whose = "the teacher's run"
	}
	lesson := ""
	if f.lesson && !f.lessonDone {
		lesson = f.lessonName
	}
	m.say(false, "%s at home (nothing is written here): %s", whose, HomeCommand(frameStep(f), lesson))
	return nil
}

// HomeCommand is the headless command a student types at home for E's
// files: the run's setup (TOKEN, which ? shows) trained for step steps, or
// the lesson that is running (a built-in one by name; a lesson file is the
// teacher's, so it is named as one). The step is written in plain digits:
// the command must parse as it is printed.
func HomeCommand(step int64, lesson string) string {
	const files = "--history h.csv --curve c.csv --plot p.svg"
	switch {
	case lesson == "":
		return fmt.Sprintf("lnfit --headless --config TOKEN --steps %d %s (TOKEN: in ?)", step, files)
	case slices.Contains(runner.LessonNames(), lesson):
		return fmt.Sprintf("lnfit --headless --lesson %s %s", lesson, files)
	}
	return fmt.Sprintf("lnfit --headless --lesson FILE %s (FILE: the lesson %s)", files, engine.ShortText(engine.EscapeText(filepath.Base(lesson)), 30))
}

// frameStep is the furthest step of the run the frame shows.
func frameStep(f *frame) int64 {
	var step int64
	for _, s := range f.snaps {
		step = max(step, s.Step)
	}
	return step
}

// shortNames lists written files by base name, the later ones without the
// stem they share with the first ("net-history.csv, -curve.csv, -plot.svg").
func shortNames(written []string) string {
	names := make([]string, len(written))
	for i, w := range written {
		names[i] = engine.EscapeText(filepath.Base(w))
	}
	if len(names) < 2 {
		return strings.Join(names, ", ")
	}
	stem := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, stem) {
			stem = stem[:len(stem)-1]
		}
	}
	if i := strings.LastIndex(stem, "-"); i > 0 {
		stem = stem[:i]
	} else {
		return strings.Join(names, ", ")
	}
	for i := 1; i < len(names); i++ {
		names[i] = strings.TrimPrefix(names[i], stem)
	}
	return strings.Join(names, ", ")
}
