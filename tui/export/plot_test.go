package export

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"lnfit/engine"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// svgStructure is what a figure is made of, in terms that do not change
// with the library's drawing: how many of each element, and every text.
func svgStructure(t *testing.T, b []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	counts := map[string]int{}
	var texts []string
	inText := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			counts[tok.Name.Local]++
			inText = tok.Name.Local == "text"
		case xml.CharData:
			if inText {
				texts = append(texts, string(tok))
			}
		case xml.EndElement:
			inText = false
		}
	}
	var out []string
	for k, v := range counts {
		if k != "path" { // paths split with the library's stroking; texts and groups do not
			out = append(out, fmt.Sprintf("<%s> %d", k, v))
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n") + "\n" + strings.Join(texts, "\n") + "\n"
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run %s -update writes it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s--- want\n%s", name, got, want)
	}
}

// The figure has its title, both plots' titles and axis labels, and a
// legend entry for every curve: a race names each lane.
func TestPlotSVGStructure(t *testing.T) {
	for _, c := range []struct{ name, preset, race string }{
		{"plot-answer.golden", "answer", ""},
		{"plot-race.golden", "question-normal-init", "sgd,adam"},
	} {
		r := Capture(session(t, c.preset, 3000, c.race), false)
		var buf bytes.Buffer
		if err := WritePlot(&buf, r, "svg"); err != nil {
			t.Fatal(err)
		}
		if !Ours(buf.Bytes(), KindPlot) {
			t.Fatal("the SVG is not recognised as lnfit's")
		}
		got := svgStructure(t, buf.Bytes())
		for _, want := range []string{"lnfit · " + r.Label + " · step 3,000", "fit: net(x) vs ln(x) on (0,1]",
			"loss: MSE of each batch (log scale)", "\nx\n", "\ny\n", "\nstep\n", "\nloss\n", "\nln(x)\n"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: no text %q", c.name, want)
			}
		}
		legend := []string{"\nnet(x)\n", "\nmean\n", "\nlargest batch\n"}
		if c.race != "" {
			legend = []string{"\nA: sgd lr 0.01\n", "\nB: adam lr 0.001\n", "\nA: mean\n", "\nB: largest batch\n"}
		}
		for _, want := range legend {
			if !strings.Contains(got, want) {
				t.Errorf("%s: no legend entry %q", c.name, want)
			}
		}
		golden(t, c.name, got)
	}
}

// A PNG is a real image of the slide's size, recognisable as lnfit's.
func TestPlotPNG(t *testing.T) {
	r := Capture(session(t, "question", 50, ""), false)
	var buf bytes.Buffer
	if err := WritePlot(&buf, r, "png"); err != nil {
		t.Fatal(err)
	}
	if !Ours(buf.Bytes(), KindPlot) {
		t.Fatal("the PNG is not recognised as lnfit's")
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 12*plotDPI || b.Dy() != 6.75*plotDPI {
		t.Fatalf("size %v, want %d×%d", b.Size(), 12*plotDPI, int(6.75*plotDPI))
	}
}

// The export key's files: written beside the save path, replaced by the
// next press, and never over someone else's file.
func TestBeside(t *testing.T) {
	dir := t.TempDir()
	save := filepath.Join(dir, "run.json")
	s := session(t, "question", 20, "")
	f := NewFiles()
	got, err := f.Beside(s, save)
	if err != nil {
		t.Fatal(err)
	}
	h, c, p := BesideNames(save)
	if strings.Join(got, " ") != strings.Join([]string{h, c, p}, " ") {
		t.Fatalf("wrote %v", got)
	}
	os.Remove(c)
	os.WriteFile(c, []byte("someone's notes\n"), 0o644) // someone else's file now
	s.Run(5)
	got, err = f.Beside(s, save)
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != h || got[1] != filepath.Join(dir, "run-curve-1.csv") || got[2] != p {
		t.Fatalf("second press wrote %v", got)
	}
	if b, _ := os.ReadFile(c); string(b) != "someone's notes\n" {
		t.Fatal("someone else's file was replaced")
	}
	if got, _ = f.Beside(s, save); got[1] != filepath.Join(dir, "run-curve-1.csv") {
		t.Fatalf("third press wrote the curve to %s, not to its own fresh name", got[1])
	}
	if _, err := f.Beside(s, "-"); err == nil {
		t.Fatal("a remote session's save path was written beside")
	}
}

// A diverged run's loss spans hundreds of decades: the axis still labels a
// few of them, and the title says where it diverged.
func TestPlotOfADivergedRun(t *testing.T) {
	s := session(t, "answer", 0, "")
	if err := s.Set("optimizer", "sgd", engine.AllLanes); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("lr", "10", engine.AllLanes); err != nil {
		t.Fatal(err)
	}
	s.Run(300)
	r := Capture(s, false)
	if !r.Lanes[0].Snap.Diverged {
		t.Fatal("the run did not diverge: the test tests nothing")
	}
	var buf bytes.Buffer
	if err := WritePlot(&buf, r, "svg"); err != nil {
		t.Fatal(err)
	}
	got := svgStructure(t, buf.Bytes())
	decadeLabels := 0
	for _, l := range strings.Split(got, "\n") {
		if strings.HasPrefix(l, "1e") {
			decadeLabels++
		}
	}
	if decadeLabels == 0 || decadeLabels > maxLabels {
		t.Errorf("%d decade labels on the loss axis, want 1 to %d", decadeLabels, maxLabels)
	}
	if want := fmt.Sprintf("diverged at step %d", r.Lanes[0].Snap.DivergedAt); !strings.Contains(got, want) {
		t.Errorf("no %q in the title", want)
	}
}

// Found by TestWalkStates at LNFIT_WALK_SEED=2285 (square-answer, one step,
// E): a loss history of one point below 1 is a flat range, which gonum
// widens by ±1 to a negative minimum, and its log axis panicked. Every run
// with its one step, on every preset, plots.
func TestPlotOfOneStep(t *testing.T) {
	for _, preset := range []string{"square-answer", "question", "answer"} {
		s := session(t, preset, 1, "")
		r := Capture(s, false)
		if len(r.Lanes[0].Snap.History) != 1 {
			t.Fatalf("%s: %d buckets after one step", preset, len(r.Lanes[0].Snap.History))
		}
		var buf bytes.Buffer
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("%s, one step (loss %g): panic %v", preset, r.Lanes[0].Snap.History[0].Max, p)
				}
			}()
			if err := WritePlot(&buf, r, "svg"); err != nil {
				t.Fatal(err)
			}
		}()
		if !strings.Contains(svgStructure(t, buf.Bytes()), "loss") {
			t.Fatalf("%s: no loss plot", preset)
		}
	}
}

// Found last round: the fit panel said "ln(x)" in its title and legend for
// every target. It names the run's target and domain, spans the domain,
// and draws the user's points as dots.
func TestPlotNamesItsTarget(t *testing.T) {
	pts, err := engine.ParsePoints([]byte("x,y\n2,1\n4,3\n6,2\n8,5\n10,4\n"))
	if err != nil {
		t.Fatal(err)
	}
	pts.Name = "p2.csv"
	for _, c := range []struct {
		set        [][2]string
		title      string
		legend     string
		lo, hi     float64
		withPoints bool
	}{
		{[][2]string{{"target", "sin"}, {"domain", "-1:1"}}, "fit: net(x) vs sin(2πx) on (-1,1]", "sin(2πx)", -1, 1, false},
		{[][2]string{{"target", "sin(6*x) + x^2"}, {"domain", "-1:1"}}, "fit: net(x) vs sin(6*x) + x^2 on (-1,1]", "sin(6*x) + x^2", -1, 1, false},
		{[][2]string{{"target", "square"}}, "fit: net(x) vs x² on (0,1]", "x²", 0, 1, false},
		{nil, "fit: net(x) vs the points on [2,10]", "the 5 points (p2.csv)", 2, 10, true},
	} {
		s := session(t, "answer", 0, "")
		if c.withPoints {
			cfg := s.Main().Config()
			pts.Use(&cfg)
			tr, err := engine.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			s = engine.NewSession(tr, "points")
		}
		for _, kv := range c.set {
			if err := s.Set(kv[0], kv[1], engine.AllLanes); err != nil {
				t.Fatal(err)
			}
		}
		s.Run(200)
		var buf bytes.Buffer
		if err := WritePlot(&buf, Capture(s, false), "svg"); err != nil {
			t.Fatal(err)
		}
		got := svgStructure(t, buf.Bytes())
		if strings.Contains(got, "ln(x)") {
			t.Errorf("%s: the figure still speaks of ln(x):\n%s", c.title, got)
		}
		for _, want := range []string{c.title, c.legend} {
			if !strings.Contains(got, "\n"+want+"\n") {
				t.Errorf("%s: no text %q:\n%s", c.title, want, got)
			}
		}
		// The x axis's tick labels (between the labels "x" and "y") span the domain.
		ticks := strings.Split(got[strings.Index(got, "\nx\n")+3:strings.Index(got, "\ny\n")], "\n")
		first, _ := strconv.ParseFloat(ticks[0], 64)
		last, _ := strconv.ParseFloat(ticks[len(ticks)-1], 64)
		if span := c.hi - c.lo; first < c.lo || last > c.hi || last-first < span/2 {
			t.Errorf("%s: x ticks %v do not span (%g, %g]", c.title, ticks, c.lo, c.hi)
		}
	}
}

// A loss inside one decade (a sin fit's 0.39 to 0.55) or just across one
// (the answer's) still has two labelled values on its axis.
func TestLossAxisLabelsTwoValues(t *testing.T) {
	for _, r := range [][2]float64{{0.387, 0.548}, {0.15, 6}, {3e-5, 4e-5}, {1e-300, 1e10}} {
		labelled := 0
		for _, tk := range (decades{}).Ticks(r[0], r[1]) {
			if tk.Label != "" {
				labelled++
				if tk.Value < r[0] || tk.Value > r[1] {
					t.Errorf("%v: tick %g outside", r, tk.Value)
				}
			}
		}
		if labelled < 2 || labelled > 2*maxLabels {
			t.Errorf("%v: %d labelled ticks", r, labelled)
		}
	}
}
