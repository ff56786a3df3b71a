package tui

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"lnfit/engine"
	"lnfit/presets"
)

// The units room's nets: the question at steps 0, 1 and 2, and a fitted
// answer (seed 2, unitsAnswerSteps steps: mse 1.0e-4 on x ≥ 0.01).
const unitsAnswerSteps = 20_000

type unitsCase struct {
	name string
	tr   *engine.Trainer
}

var (
	unitsCasesOnce sync.Once
	unitsCasesList []unitsCase
)

func unitsCases(t testing.TB) []unitsCase {
	unitsCasesOnce.Do(func() {
		q, err := presets.Get("question")
		if err != nil {
			return
		}
		tr, err := engine.New(q.Config)
		if err != nil {
			return
		}
		for s := 0; s < 3; s++ {
			unitsCasesList = append(unitsCasesList, unitsCase{fmt.Sprintf("question_step%d", s), tr.Clone()})
			tr.Run(1)
		}
		a, _ := presets.Get("answer")
		a.Config.Seed = 2
		ans, err := engine.New(a.Config)
		if err != nil {
			return
		}
		ans.Run(unitsAnswerSteps)
		unitsCasesList = append(unitsCasesList, unitsCase{"answer_fitted", ans})
	})
	if len(unitsCasesList) != 4 {
		t.Fatal("the units test nets failed to build")
	}
	return unitsCasesList
}

func unitsFrameOf(tr *engine.Trainer) unitsFrame { return newUnitsFrame([]*engine.Trainer{tr}, 0) }

// A race's room shows the picked lane, named in the title.
func TestUnitsRoomShowsThePickedLane(t *testing.T) {
	s := engine.NewSession(unitsCases(t)[3].tr.Clone(), "answer")
	if err := s.AddLane(0, engine.OptSGD); err != nil {
		t.Fatal(err)
	}
	f := newUnitsFrame(s.Lanes(), 1)
	body, _ := renderUnitsRoom(f, 120, 40, 0, newStyles(0))
	want := "units · lane " + f.Names[1] + " · step " + engine.Commas(unitsAnswerSteps)
	if first := strings.SplitN(body, "\n", 2)[0]; !strings.Contains(first, want) {
		t.Fatalf("title %q: want %q", first, want)
	}
}

// unitsGolden compares got with testdata/units/name.golden (-update writes it).
func unitsGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "units", name+".golden")
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -run Units -update to create it)", err)
	}
	if string(want) != got {
		t.Fatalf("%s differs from the golden file; run go test ./tui -run Units -update and review the diff.\ngot:\n%s", name, got)
	}
}

// allPages is every page of the room at w×h, each exactly h lines,
// separated by a line naming the page: what a golden holds.
func allPages(f unitsFrame, w, h int, st styles) (string, int) {
	_, pages := renderUnitsRoom(f, w, h, 0, st)
	var b strings.Builder
	for p := 0; p < pages; p++ {
		body, _ := renderUnitsRoom(f, w, h, p, st)
		fmt.Fprintf(&b, "--- page %d of %d ---\n%s\n", p+1, pages, body)
	}
	return b.String(), pages
}

func TestUnitsRoomGoldens(t *testing.T) {
	st := newStyles(0)
	for _, c := range unitsCases(t) {
		f := unitsFrameOf(c.tr)
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			got, pages := allPages(f, sz[0], sz[1], st)
			unitsGolden(t, fmt.Sprintf("%s_%dx%d", c.name, sz[0], sz[1]), got)
			t.Logf("%s %dx%d: %d pages", c.name, sz[0], sz[1], pages)
		}
	}
}

var unitLine = regexp.MustCompile(`^([×╱╲━∧·~]) +u(\d+) +(\S+) +(both|left|right|middle|none|smooth) `)

// shownUnits reads every unit line of every page: per layer, unit → its line.
func shownUnits(t *testing.T, f unitsFrame, w, h int) map[[2]int]string {
	t.Helper()
	_, pages := renderUnitsRoom(f, w, h, 0, newStyles(0))
	seen := map[[2]int]string{}
	for p := 0; p < pages; p++ {
		body, _ := renderUnitsRoom(f, w, h, p, newStyles(0))
		layer := []int{0, 0} // per column of units
		for _, line := range strings.Split(body, "\n") {
			cw := w
			if w >= 150 {
				cw = (w - 2) / 2
			}
			for col, part := range []string{line, string([]rune(line)[min(len([]rune(line)), cw+2):])} {
				if strings.HasPrefix(part, "layer ") {
					layer[col], _ = strconv.Atoi(strings.Fields(part)[1])
				}
				if m := unitLine.FindStringSubmatch(part); m != nil {
					k, _ := strconv.Atoi(m[2])
					key := [2]int{layer[col], k}
					if _, dup := seen[key]; dup {
						t.Fatalf("%dx%d: layer %d unit %d shown twice", w, h, layer, k)
					}
					seen[key] = part
				}
				if w < 150 {
					break
				}
			}
		}
	}
	return seen
}

// Every size: exactly h lines of exactly w cells, nothing cut at ≥ 80×24,
// and over its pages every unit shown exactly once.
func TestUnitsRoomFitsAndShowsEveryUnit(t *testing.T) {
	cases := unitsCases(t)
	for _, c := range []unitsCase{cases[0], cases[3]} {
		f := unitsFrameOf(c.tr)
		for _, sz := range [][2]int{{60, 16}, {80, 24}, {100, 30}, {120, 40}, {160, 50}, {200, 60}, {40, 5}, {1, 1}} {
			w, h := sz[0], sz[1]
			for p := -1; p <= 5; p++ {
				st := newStyles(0)
				if p%2 == 0 { // with colour too: the escape codes never change a line's width
					st = newStyles(colorprofile.TrueColor)
				}
				body, _ := renderUnitsRoom(f, w, h, p, st)
				lines := strings.Split(body, "\n")
				if len(lines) != h {
					t.Fatalf("%s %dx%d page %d: %d lines", c.name, w, h, p, len(lines))
				}
				for _, l := range lines {
					if lipgloss.Width(l) != w {
						t.Fatalf("%s %dx%d page %d: a line %d wide: %q", c.name, w, h, p, lipgloss.Width(l), l)
					}
					if w >= 80 && h >= 24 && strings.Contains(l, "…") {
						t.Fatalf("%s %dx%d: a cut line: %q", c.name, w, h, l)
					}
				}
			}
			if w < 60 {
				continue
			}
			seen := shownUnits(t, f, w, h)
			if len(seen) != 60 {
				t.Fatalf("%s %dx%d: %d units shown over all pages, want 60", c.name, w, h, len(seen))
			}
		}
	}
}

// hidden computes a 1→h1→h2 net's pre-activations at x from its weights,
// independently of the engine's forward pass.
func hidden(lv []engine.LayerView, x float64) (z1, z2 []float64) {
	z1 = make([]float64, lv[0].Out)
	a1 := make([]float64, lv[0].Out)
	for k := range z1 {
		z1[k] = lv[0].W[k]*x + lv[0].B[k]
		a1[k] = math.Max(0, z1[k])
	}
	z2 = make([]float64, lv[1].Out)
	for j := range z2 {
		z2[j] = lv[1].B[j]
		for k, a := range a1 {
			z2[j] += lv[1].W[j*lv[1].In+k] * a
		}
	}
	return z1, z2
}

// The kinks the room shows are the zero crossings of each unit's output on
// a fine grid: a first-layer unit shows −b/w, which has a crossing in (0,1]
// iff it lies there; a second-layer unit shows its first crossing and how
// many more. Shown figures have 3 significant digits, so they are compared
// at that precision (and to within one fine cell).
func TestUnitsRoomKinksAreTheZeroCrossings(t *testing.T) {
	const M = 20_000
	x, _ := presets.Get("xavier-adam") // kinks of both layers inside (0,1]
	xa, err := engine.New(x.Config)
	if err != nil {
		t.Fatal(err)
	}
	xa.Run(300)
	deep := 0
	for _, c := range append(unitsCases(t), unitsCase{"xavier-adam", xa}) {
		lv := c.tr.Inspect()
		cross := map[[2]int][]float64{}
		prev1, prev2 := hidden(lv, 0.5/M)
		for i := 1; i < M; i++ {
			x := (float64(i) + 0.5) / M
			z1, z2 := hidden(lv, x)
			for k := range z1 {
				if (z1[k] > 0) != (prev1[k] > 0) {
					cross[[2]int{1, k}] = append(cross[[2]int{1, k}], x)
				}
			}
			for j := range z2 {
				if (z2[j] > 0) != (prev2[j] > 0) {
					cross[[2]int{2, j}] = append(cross[[2]int{2, j}], x)
				}
			}
			prev1, prev2 = z1, z2
		}
		seen := shownUnits(t, unitsFrameOf(c.tr), 120, 40)
		for key, line := range seen {
			m := unitLine.FindStringSubmatch(line)
			text := m[3]
			more := 0
			if i := strings.Index(text, "+"); i > 0 && !strings.Contains(text, "e+") {
				more, _ = strconv.Atoi(text[i+1:])
				text = text[:i]
			}
			got := cross[key]
			if text == "—" {
				if len(got) != 0 {
					t.Fatalf("%s L%d u%d: shows no kink, the fine grid crosses 0 at %v", c.name, key[0], key[1], got)
				}
				continue
			}
			v, err := strconv.ParseFloat(text, 64)
			if err != nil {
				t.Fatalf("%s: kink %q of %q: %v", c.name, text, line, err)
			}
			inside := v > 0 && v <= 1
			if !inside {
				if key[0] != 1 || len(got) != 0 {
					t.Fatalf("%s L%d u%d: shows kink %v outside (0,1], the fine grid crosses at %v", c.name, key[0], key[1], v, got)
				}
				continue
			}
			if key[0] == 2 {
				deep++
			}
			if len(got) != 1+more {
				t.Fatalf("%s L%d u%d: shows %d kinks, the fine grid has %d crossings %v", c.name, key[0], key[1], 1+more, len(got), got)
			}
			if tol := math.Max(math.Abs(v)*6e-3, 1.0/M); math.Abs(got[0]-v) > tol {
				t.Fatalf("%s L%d u%d: shows kink %v, the fine grid crosses at %v", c.name, key[0], key[1], v, got[0])
			}
		}
	}
	if deep == 0 {
		t.Fatal("no second-layer kink shown: nothing compared there")
	}
}

// The kink row marks exactly the columns holding a zero crossing.
func TestKinkRowMarksTheCrossings(t *testing.T) {
	const cols = 70
	for _, c := range unitsCases(t) {
		r := c.tr.Units(0)
		row := []rune(kinkRow(&r, cols, newStyles(0)))
		if len(row) != cols {
			t.Fatalf("%s: the row has %d cells, want %d", c.name, len(row), cols)
		}
		want := make([]bool, cols)
		for _, layer := range r.Layers {
			for _, u := range layer {
				for _, x := range u.Kinks {
					want[min(int(x*cols), cols-1)] = true
				}
			}
		}
		marks := 0
		for i, g := range row {
			if (g != ' ') != want[i] {
				t.Fatalf("%s: column %d is %q, a kink there: %v (row %q)", c.name, i, g, want[i], string(row))
			}
			if g != ' ' {
				marks++
			}
		}
		legend := strings.Join(kinkLegend(&r), " · ")
		if !strings.Contains(legend, fmt.Sprintf("kinks in (0,1]: %d of 50 units; %d dead", r.InDomain(0), r.Dead(0))) {
			t.Fatalf("%s: legend %q", c.name, legend)
		}
		t.Logf("%s: %q · %s", c.name, string(row), legend)
		if c.name == "answer_fitted" && marks == 0 {
			t.Fatal("the fitted answer's row is empty: nothing compared")
		}
	}
}

// BenchmarkUnitsRoom is the room's body at 200×60 (the View budget is 2 ms).
func BenchmarkUnitsRoom(b *testing.B) {
	f := unitsFrameOf(unitsCases(b)[3].tr)
	st := newStyles(0)
	b.ReportAllocs()
	for b.Loop() {
		renderUnitsRoom(f, 200, 60, 0, st)
	}
}
