package tui

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

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
	m.say(false, "%s", exportedText(engine.EscapeText(dir), written, m.width-1))
	return nil
}

// exportedText says where the files went and what they are called, whole
// on the message line's two lines of w: the folder first where that fits;
// else the files' kinds first, then the folder, then the stem they share
// on a line of its own ("exported -history.csv, … to /tmp/x, named STEM")
// (a name too long for the line is cut at its end, never the kinds).
func exportedText(dir string, written []string, w int) string {
	whole := func(text string) bool {
		lines := wrapLines(strings.Fields(text), w)
		for _, l := range lines {
			if lipgloss.Width(strings.Join(l, " ")) > w {
				return false
			}
		}
		return len(lines) <= 2
	}
	stem, rest := shortNames(written)
	folderFirst := fmt.Sprintf("exported to %s: %s", dir, strings.Join(append([]string{stem + rest[0]}, rest[1:]...), ", "))
	if stem == "" || whole(folderFirst) {
		return folderFirst
	}
	return fmt.Sprintf("exported %s to %s, named %s", strings.Join(rest, ", "), dir, stem)
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

// shortNames splits written files' base names into the stem they share
// ("net") and what follows it in each ("-history.csv", "-curve.csv",
// "-plot.svg"); no stem ("") when there is one file or none shared, and
// then rest is the names whole.
func shortNames(written []string) (stem string, rest []string) {
	names := make([]string, len(written))
	for i, w := range written {
		names[i] = engine.EscapeText(filepath.Base(w))
	}
	if len(names) < 2 {
		return "", append(names, "")[:max(len(names), 1)]
	}
	stem = names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, stem) {
			stem = stem[:len(stem)-1]
		}
	}
	i := strings.LastIndex(stem, "-")
	if i <= 0 {
		return "", names
	}
	stem = stem[:i]
	for i := range names {
		names[i] = strings.TrimPrefix(names[i], stem)
	}
	return stem, names
}
