package export

import (
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"lnfit/engine"
	"lnfit/presets"
)

// session makes a small run of a preset: steps past HistoryCap, so the
// history has merged its buckets at least once.
func session(t testing.TB, preset string, steps int, lanes string) *engine.Session {
	t.Helper()
	p, err := presets.Get(preset)
	if err != nil {
		t.Fatal(err)
	}
	cfg := p.Config
	cfg.Seed = 1
	tr, err := engine.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := engine.NewSession(tr, p.Name)
	if lanes != "" {
		ls, err := engine.ParseLanes(lanes, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Race(ls, 0); err != nil {
			t.Fatal(err)
		}
	}
	s.Run(steps)
	return s
}

func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

// The history read back is the run's own buckets, bit for bit, and covers
// every step once.
func TestHistoryRoundTrip(t *testing.T) {
	for _, race := range []string{"", "sgd,adam"} {
		s := session(t, "answer", engine.HistoryCap+700, race)
		r := Capture(s, false)
		for _, asJSON := range []bool{false, true} {
			var buf bytes.Buffer
			write := WriteHistoryCSV
			if asJSON {
				write = WriteHistoryJSON
			}
			if err := write(&buf, r); err != nil {
				t.Fatal(err)
			}
			if !Ours(buf.Bytes(), KindHistory) {
				t.Fatalf("race %q json %v: the file is not recognised as lnfit's: %.80q", race, asJSON, buf.String())
			}
			rows, err := ReadHistory(&buf, asJSON)
			if err != nil {
				t.Fatal(err)
			}
			i := 0
			for li, tr := range s.Lanes() {
				snap := tr.Snapshot()
				if snap.HistoryWidth < 2 {
					t.Fatalf("width %d: the history never merged, the test does not test that", snap.HistoryWidth)
				}
				next := int64(1)
				for _, b := range snap.History {
					row := rows[i]
					i++
					if want := string(rune('A' + li)); row.Lane != want {
						t.Fatalf("row %d lane %q, want %q", i, row.Lane, want)
					}
					if row.FirstStep != next || row.LastStep != b.First+b.Count-1 {
						t.Fatalf("row %d steps %d–%d, want %d–%d", i, row.FirstStep, row.LastStep, next, b.First+b.Count-1)
					}
					if !same(row.Mean, b.Mean()) || !same(row.Min, b.Min) || !same(row.Max, b.Max) {
						t.Fatalf("row %d: %v %v %v, want %v %v %v", i, row.Mean, row.Min, row.Max, b.Mean(), b.Min, b.Max)
					}
					next = row.LastStep + 1
				}
				if next-1 != snap.Step {
					t.Fatalf("lane %d: the rows end at step %d, the run at %d", li, next-1, snap.Step)
				}
			}
			if i != len(rows) {
				t.Fatalf("%d rows, the run has %d buckets", len(rows), i)
			}
		}
	}
}

// NaN and ±Inf (a diverged run) survive the CSV; JSON has no such numbers
// and writes null, read back as NaN.
func TestHistoryNonFinite(t *testing.T) {
	r := Run{Label: "x", Lanes: []Lane{{Name: "A", Snap: engine.Snapshot{History: []engine.Bucket{
		{First: 1, Count: 1, Sum: math.Inf(1), Min: math.Inf(1), Max: math.Inf(1)},
		{First: 2, Count: 2, Sum: math.NaN(), Min: 3, Max: math.NaN()},
	}}}}}
	var buf bytes.Buffer
	if err := WriteHistoryCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadHistory(&buf, false)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsInf(rows[0].Mean, 1) || !math.IsNaN(rows[1].Max) || rows[1].Min != 3 || rows[1].LastStep != 3 {
		t.Fatalf("CSV read back %+v", rows)
	}
	buf.Reset()
	if err := WriteHistoryJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	if rows, err = ReadHistory(&buf, true); err != nil || !math.IsNaN(rows[0].Mean) || rows[1].Min != 3 {
		t.Fatalf("JSON read back %+v, %v", rows, err)
	}
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// The curve is the grid, ln x and each lane's net(x) as the snapshot has
// them; with units, the output layer applied to the last hidden layer's
// columns gives net(x) back.
func TestCurveColumns(t *testing.T) {
	s := session(t, "answer", 3000, "sgd,adam")
	r := Capture(s, true)
	var buf bytes.Buffer
	if err := WriteCurveCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, buf.Bytes())
	head := recs[0]
	if head[0] != "x" || head[1] != "target" || head[2] != "net_A" || head[3] != "net_B" || head[4] != "h1_1_A" {
		t.Fatalf("header starts %v", head[:5])
	}
	if want := 4 + 2*60; len(head) != want {
		t.Fatalf("%d columns, want %d (x, target, 2 nets, 2×60 units)", len(head), want)
	}
	if len(recs) != engine.GridPoints+1 {
		t.Fatalf("%d rows, want %d", len(recs)-1, engine.GridPoints)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	last := s.Lane(1).Inspect()[2] // lane B's output layer: 1 × 10
	snapB := s.Lane(1).Snapshot()
	for i, rec := range recs[1:] {
		v := func(name string) float64 {
			f, err := strconv.ParseFloat(rec[col[name]], 64)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		if v("x") != snapB.GridX[i] || v("target") != snapB.Target[i] || v("net_B") != snapB.Pred[i] {
			t.Fatalf("row %d differs from the snapshot", i)
		}
		out := last.B[0]
		for j := 0; j < 10; j++ {
			out += last.W[j] * v("h2_"+strconv.Itoa(j+1)+"_B")
		}
		if math.Abs(out-snapB.Pred[i]) > 1e-9*(1+math.Abs(out)) {
			t.Fatalf("row %d: the output layer on the units gives %v, net_B is %v", i, out, snapB.Pred[i])
		}
	}
}

// The file rules: a foreign file, a directory or a link is refused before
// the run; lnfit's own file is replaced, unless it changed since the look.
func TestTargetRules(t *testing.T) {
	dir := t.TempDir()
	foreign := filepath.Join(dir, "notes.csv")
	os.WriteFile(foreign, []byte("my,own,data\n"), 0o644)
	link := filepath.Join(dir, "link.csv")
	os.Symlink(foreign, link)
	for _, p := range []string{foreign, dir, link} {
		if _, err := Check(p, KindCurve); err == nil {
			t.Errorf("Check(%s) accepted it", p)
		}
	}
	if _, err := Check(filepath.Join(dir, "no", "such.csv"), KindCurve); err == nil {
		t.Error("a missing directory was accepted")
	}
	r := Capture(session(t, "question", 10, ""), false)
	path := filepath.Join(dir, "curve.csv")
	tg, err := Check(path, KindCurve)
	if err != nil {
		t.Fatal(err)
	}
	write := func(w *Target) string {
		got, err := w.Write(func(f io.Writer) error { return WriteCurveCSV(f, r) })
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	old := syscall.Umask(0o022)
	got := write(&tg)
	syscall.Umask(old)
	if got != path {
		t.Fatalf("wrote %s, want %s", got, path)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v under umask 022, want -rw-r--r-- (a file to share)", fi.Mode())
	}
	if got := write(&tg); got != path { // its own file, unchanged: replaced
		t.Fatalf("second write went to %s", got)
	}
	again, err := Check(path, KindCurve) // a later run may replace lnfit's curve
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, []byte("x,target,net\nchanged by hand\n"), 0o644)
	if got := write(&again); got != filepath.Join(dir, "curve-1.csv") {
		t.Fatalf("a file changed since the look was replaced (wrote %s)", got)
	}
	if b, _ := os.ReadFile(path); !bytes.Contains(b, []byte("changed by hand")) {
		t.Fatal("the changed file was not kept")
	}
}
