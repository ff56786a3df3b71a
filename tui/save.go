package tui

import (
	"fmt"
	"path/filepath"
	"strings"

	"lnfit/engine"
)

// save writes the selected lane's network. It never replaces a file this
// session did not write, nor one it wrote that someone has changed since:
// the check is made at the moment of the save, and such a file is kept and
// the network goes to a fresh name, said in the message.
func (m *Model) save() {
	if m.opts.SavePath == "-" {
		m.say(true, "saving is off here; the help overlay (?) shows this setup's config token")
		return
	}
	path := m.opts.SavePath
	if path == "" {
		path = fmt.Sprintf("lnfit-%s-step%d.json", safeName(m.session.Label()), m.session.Lane(m.sel).Step())
	}
	asked := path
	if alt, ok := m.savedAs[path]; ok { // an earlier w went to a fresh name: that file is ours
		path = alt
	}
	seen := m.saved[path] // zero (nothing there) unless we wrote it
	written, after, err := m.session.Lane(m.sel).SaveGuarded(path, seen)
	if err != nil {
		m.say(true, "not saved: %v (training goes on)", err)
		return
	}
	m.saved[written] = after
	m.savedAs[asked] = written
	abs, err := filepath.Abs(written)
	if err != nil {
		abs = written
	}
	if written != asked {
		m.say(false, "saved to %s (%s is someone else's file or changed since we wrote it, so a new name)",
			engine.EscapeText(abs), engine.EscapeText(asked))
	} else {
		m.say(false, "saved to %s", engine.EscapeText(abs))
	}
}

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
