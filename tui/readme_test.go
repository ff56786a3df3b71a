package tui

import (
	"os"
	"strings"
	"testing"
)

// The README's key table is held to the action table: every entry with a
// ? row has a README row with the same keys whose text starts with the
// entry's desc, and the README has no row the table lacks. A key added to
// actionTable() fails here until the README says what it does.
func TestReadmeKeysMatchTheTable(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := readmeKeyRows(t, string(b))
	// A room may have its own entry for a key with a ? row of its own (the
	// timeline's w saves the moment): the README's row may start with any.
	want := map[string][]string{} // the ? row's keys → their descs
	var order []string
	for _, a := range actionTable() {
		if a.help == "" {
			continue
		}
		if _, dup := want[a.help]; !dup {
			order = append(order, a.help)
		}
		want[a.help] = append(want[a.help], a.desc)
	}
	for _, k := range order {
		text, ok := rows[k]
		switch {
		case !ok:
			t.Errorf("README's key table lacks %q; add the row  | %s | %s |", k, readmeKeys(k), want[k][0])
		case !startsWithAny(text, want[k]):
			t.Errorf("README's row for %q says %q; want it to start with one of the table's %q", k, text, want[k])
		}
	}
	for k := range rows {
		if _, ok := want[k]; !ok {
			t.Errorf("README's key table has a row for %q, which actionTable() has no ? row for", k)
		}
	}
}

// readmeKeyRows reads the table between <!-- keys --> and <!-- /keys -->:
// rows "| `o` `O` | next / previous optimizer … |" become "o O" → the text.
func readmeKeyRows(t *testing.T, readme string) map[string]string {
	t.Helper()
	start, end := strings.Index(readme, "<!-- keys -->"), strings.Index(readme, "<!-- /keys -->")
	if start < 0 || end < start {
		t.Fatal("README.md has no <!-- keys --> … <!-- /keys --> section")
	}
	rows := map[string]string{}
	for _, l := range strings.Split(readme[start:end], "\n") {
		cells := strings.Split(strings.TrimSpace(l), "|")
		if len(cells) < 4 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue // the header, its rule, the markers
		}
		var keys []string
		for _, f := range strings.Fields(cells[1]) {
			keys = append(keys, strings.Trim(f, "`"))
		}
		k := strings.Join(keys, " ")
		if _, dup := rows[k]; dup {
			t.Errorf("README's key table has %q twice", k)
		}
		rows[k] = strings.TrimSpace(strings.Join(cells[2:len(cells)-1], "|"))
	}
	if len(rows) == 0 {
		t.Fatal("README's key section has no rows")
	}
	return rows
}

func startsWithAny(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func readmeKeys(help string) string {
	f := strings.Fields(help)
	for i := range f {
		f[i] = "`" + f[i] + "`"
	}
	return strings.Join(f, " ")
}
