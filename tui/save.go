package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"lnfit/engine"
)

// save writes the selected lane's network. It never replaces a file this
// session did not write, nor one it wrote that someone has changed since:
// the check is made at the moment of the save, and such a file is kept and
// the network goes to a fresh name, said in the message.
func (m *Model) save() { m.saveSaying("") }

// saveSaying is save with the message's first words (the timeline's "the
// moment at step N"): the path and its note are fitted to one line of
// their own, so the message's two lines never cut them.
func (m *Model) saveSaying(prefix string) {
	if m.opts.SavePath == "-" { // a student's session: nothing is written on the server
		m.showToken()
		return
	}
	asked := m.askedSavePath()
	path := asked
	if alt, ok := m.saves.as[path]; ok { // an earlier w went to a fresh name: that file is ours
		path = alt
	}
	seen := m.saves.written[path] // zero (nothing there) unless we wrote it
	written, after, err := m.session.Lane(m.sel).SaveGuarded(path, seen)
	if err != nil {
		m.say(true, "not saved: %v (training goes on)", err)
		return
	}
	m.saves.written[written] = after
	m.saves.as[asked] = written
	abs, err := filepath.Abs(written)
	if err != nil {
		abs = written
	}
	// The path and its note get a line of their own: the note shortens, then
	// goes (the fresh name says it), before the path is written by its end.
	shown := engine.EscapeText(abs)
	room := m.width - 2
	var notes []string
	if written != asked {
		base := engine.ShortText(filepath.Base(asked), 24)
		notes = []string{" (" + base + " is not ours to replace)", " (" + base + " is not ours)"}
	}
	note := ""
	for _, n := range notes {
		if len([]rune(shown+n)) <= room {
			note = n
			break
		}
	}
	m.say(false, "%ssaved to %s%s", prefix, fitPath(shown, room-len([]rune(note))), note)
}

// fitPath is path in at most room cells: whole where it fits, else its
// end (the file's name and the folders nearest it) after "…", so the
// message's two lines never cut the name.
func fitPath(path string, room int) string {
	r := []rune(path)
	if len(r) <= room || room < 8 {
		return path
	}
	tail := string(r[len(r)-(room-1):])
	if i := strings.IndexRune(tail, filepath.Separator); i >= 0 && i < len(tail)-1 {
		tail = tail[i:] // start at a folder's edge
	}
	return "…" + tail
}

// showToken is w where nothing is written (a student's session, a
// follower): the help, at its end, where the token of the run on screen is.
func (m *Model) showToken() {
	if m.mode != modeHelp {
		m.toggle(modeHelp)
	}
	m.refresh()
	m.help.scroll = m.help.last() // the token is at the end
	whose := "this setup"
	if m.role.following() {
		whose = "the teacher's setup"
	}
	m.say(false, "saving is off here: the token below is %s (lnfit --config 'TOKEN' starts it at home)", whose)
}

// askedSavePath is the file w is asked to write: --save's, or a name made
// from the label and the selected lane's step.
func (m *Model) askedSavePath() string {
	if m.opts.SavePath != "" {
		return m.opts.SavePath
	}
	return fmt.Sprintf("lnfit-%s-step%d.json", safeName(m.session.Label()), m.session.Lane(m.sel).Step())
}

// savePathNow is the file w would write now, by its rule: the fresh name an
// earlier w went to, the asked path if it is free or ours, else the first
// free path-N name (E writes beside it, so its files sit by the save).
func (m *Model) savePathNow() string {
	asked := m.askedSavePath()
	if alt, ok := m.saves.as[asked]; ok {
		return alt
	}
	if _, ours := m.saves.written[asked]; ours {
		return asked
	}
	if _, err := os.Lstat(asked); err != nil {
		return asked // nothing there (or nothing we can see): w tries the asked name
	}
	ext := filepath.Ext(asked)
	base := strings.TrimSuffix(asked, ext)
	for i := 1; i < 10_000; i++ {
		p := fmt.Sprintf("%s-%d%s", base, i, ext)
		if _, err := os.Lstat(p); err != nil {
			return p
		}
	}
	return asked
}

// saves are the files this session wrote, as it left them: w may replace
// those, and a path w was asked for → the name it last wrote instead.
type saves struct {
	written map[string]engine.FileState
	as      map[string]string
}

func newSaves() saves { return saves{written: map[string]engine.FileState{}, as: map[string]string{}} }

// safeName turns a label into a file name part: letters, digits, '.',
// '_' kept, every other run of characters one '-' ("question · init →
// normal" → "question-init-normal").
func safeName(label string) string {
	var b strings.Builder
	dash := false
	for _, r := range label {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "run"
	}
	return b.String()
}
