package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"lnfit/engine"
	"lnfit/tui"
	"lnfit/tui/export"
)

// sameRun rebuilds the session a command line starts from, in the test:
// the same seed gives the same numbers, so its figures are the run's own.
func sameRun(t *testing.T, args ...string) *engine.Session {
	t.Helper()
	o, err := parseFlags(args, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := resolveStart(o)
	if err != nil {
		t.Fatal(err)
	}
	s, err := st.session()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func readRows(t *testing.T, path string) []export.HistoryRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := export.ReadHistory(f, strings.HasSuffix(path, ".json"))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// --history (CSV and JSON) and --curve hold the run's own figures: the
// buckets bit for bit, and a curve whose MSE is the summary's.
func TestExportFilesHoldTheRunsFigures(t *testing.T) {
	dir := t.TempDir()
	for _, race := range []bool{false, true} {
		args := []string{"--preset", "answer", "--steps", "2500"}
		if race {
			args = append(args, "--compare", "sgd,adam")
		}
		hc, hj, cv, pl := filepath.Join(dir, "h.csv"), filepath.Join(dir, "h.json"), filepath.Join(dir, "c.csv"), filepath.Join(dir, "p.svg")
		r := runCmd(t, append(args, "--headless", "--json", "--history", hc, "--curve", cv, "--plot", pl)...)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if r2 := runCmd(t, append(args, "--headless", "--history", hj)...); r2.code != 0 { // lnfit's own file: replaced
			t.Fatalf("exit %d: %s", r2.code, r2.stderr)
		}
		s := sameRun(t, args...)
		s.Run(2500)
		want := export.Capture(s, false).Rows()
		for _, p := range []string{hc, hj} {
			got := readRows(t, p)
			if len(got) != len(want) {
				t.Fatalf("%s: %d rows, the run has %d buckets", p, len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("%s row %d: %+v, the run's is %+v", p, i, got[i], want[i])
				}
			}
		}
		data, err := os.ReadFile(cv)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		if race != strings.HasPrefix(lines[0], "x,target,net_A,net_B") || len(lines) != engine.GridPoints+1 {
			t.Fatalf("curve header %q, %d lines", lines[0], len(lines))
		}
		var sse float64
		for _, l := range lines[1:] {
			var x, y, net float64
			if _, err := fmtSscan(l, &x, &y, &net); err != nil {
				t.Fatal(err)
			}
			sse += (net - y) * (net - y)
		}
		sum := decodeSummary(t, r.stdout)
		if mse := sse / engine.GridPoints; math.Abs(mse-sum["mse"].(float64)) > 1e-12*mse {
			t.Fatalf("the curve's MSE is %v, the summary's %v", mse, sum["mse"])
		}
		if head, _ := os.ReadFile(pl); !export.Ours(head, export.KindPlot) {
			t.Fatal("no lnfit plot written")
		}
	}
}

// fmtSscan reads the first three comma-separated numbers of a CSV row.
func fmtSscan(line string, p ...*float64) (int, error) {
	f := strings.SplitN(line, ",", len(p)+1)
	for i := range p {
		v, err := parseFloat(f[i])
		if err != nil {
			return i, err
		}
		*p[i] = v
	}
	return len(p), nil
}

// A lesson's caption curves are the net at each caption's own step, even
// where a caption does not wait and training goes straight on.
func TestCurveAtEachCaption(t *testing.T) {
	dir := t.TempDir()
	lesson := filepath.Join(dir, "three.lesson")
	os.WriteFile(lesson, []byte("preset answer\nsay one\nrun 100\nsay two\nrun 57\nsay three\nrun 10\n"), 0o644)
	curve := filepath.Join(dir, "fit.csv")
	r := runCmd(t, "--headless", "--lesson", lesson, "--curve", curve, "--curve-every", "caption")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	s := sameRun(t, "--preset", "answer")
	for i, step := range []int{0, 100, 157} {
		s.Run(step - int(s.Step()))
		data, err := os.ReadFile(captionCurvePath(curve, i+1))
		if err != nil {
			t.Fatal(err)
		}
		pred := s.Main().Snapshot().Pred
		for j, l := range strings.Split(strings.TrimSpace(string(data)), "\n")[1:] {
			var x, y, net float64
			fmtSscan(l, &x, &y, &net)
			if net != pred[j] {
				t.Fatalf("caption %d: row %d net %v, the net at step %d gives %v", i+1, j, net, step, pred[j])
			}
		}
	}
	if _, err := os.Stat(captionCurvePath(curve, 4)); err == nil {
		t.Fatal("a fourth caption curve from three captions")
	}
}

// Every mistake is refused before training, with one line naming the flag.
func TestExportFlagMistakes(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.csv")
	os.WriteFile(notes, []byte("mine\n"), 0o644)
	out := filepath.Join(dir, "out.csv")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--headless", "--curve-units"}, "--curve-units goes with --curve FILE"},
		{[]string{"--headless", "--curve", out, "--curve-every", "caption"}, "--curve-every caption goes with --lesson"},
		{[]string{"--headless", "--curve", out, "--curve-every", "step"}, "--curve-every step: want caption"},
		{[]string{"--curve", out, "--curve-every", "caption", "--lesson", "activations"}, "goes with --headless"},
		{[]string{"--headless", "--record", "x.cast"}, "--headless has no screen to record"},
		{[]string{"--headless", "--plot", "x.pdf"}, "--plot x.pdf: want a name ending in .svg or .png"},
		{[]string{"--headless", "--history", out, "--curve", out}, "--history and --curve both name"},
		{[]string{"--headless", "--save", out, "--plot", filepath.Join(dir, "p.svg"), "--history", out}, "--save and --history both name"},
		{[]string{"--headless", "--map", "lr=1e-3:1e-2:2,init-scale=0.1:1:2", "--plot", "m.svg"}, "--plot goes with a run (headless or the dashboard), not --map"},
		{[]string{"--headless", "--history", notes, "--plot", filepath.Join(dir, "p.svg")}, "not a loss history lnfit wrote; not overwriting it"},
		{[]string{"--headless", "--curve", dir}, "is a directory, not a regular file"},
		{[]string{"--headless", "--plot", filepath.Join(dir, "nodir", "p.svg")}, "no such directory"},
		{[]string{"--headless", "--history", ""}, "--history: needs a value"},
	}
	for _, c := range cases {
		r := runCmd(t, c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) || strings.Count(r.stderr, "\n") != 1 || r.stdout != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %.40q; want exit 2 and one line with %q", c.args, r.code, r.stderr, r.stdout, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "p.svg")); err == nil {
		t.Error("a refused run wrote its other files")
	}
	if b, _ := os.ReadFile(notes); string(b) != "mine\n" {
		t.Error("someone's file was changed")
	}
}

// removeOnWrite removes a directory at the run's first line of output
// (the first caption): after the check, before the files are written.
type removeOnWrite struct {
	bytes.Buffer
	dir string
}

func (w *removeOnWrite) Write(p []byte) (int, error) {
	if w.dir != "" {
		os.RemoveAll(w.dir)
		w.dir = ""
	}
	return w.Buffer.Write(p)
}

// A write that fails at the end is one clear line and exit 1, and the
// summary is still printed; the dashboard's files fail the same way.
func TestExportWriteFailure(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gone")
	os.Mkdir(dir, 0o755)
	out := &removeOnWrite{dir: dir}
	var errb bytes.Buffer
	code := run(context.Background(), []string{"--headless", "--lesson", "activations", "--history", filepath.Join(dir, "h.csv")},
		environment{stdout: out, stderr: &errb})
	if code != exitFailure || !strings.Contains(errb.String(), "lnfit: --history "+filepath.Join(dir, "h.csv")+": ") ||
		!strings.Contains(out.String(), "verdict") {
		t.Fatalf("exit %d, stderr %q, summary printed: %v", code, errb.String(), strings.Contains(out.String(), "verdict"))
	}

	os.Mkdir(dir, 0o755)
	errb.Reset()
	fake := func(ctx context.Context, s *engine.Session, o tui.Options) error {
		s.Run(10)
		return os.RemoveAll(dir)
	}
	code = run(context.Background(), []string{"--plot", filepath.Join(dir, "p.png")},
		environment{stdout: &bytes.Buffer{}, stderr: &errb, stdoutTTY: true, dashboard: fake})
	if code != exitFailure || !strings.Contains(errb.String(), "lnfit: --plot ") {
		t.Fatalf("dashboard: exit %d, stderr %q", code, errb.String())
	}
}

func parseFloat(s string) (float64, error) { return strconv.ParseFloat(s, 64) }

// The remote dashboard's one-line command reproduces the run: the same
// history, bit for bit, written on the user's side.
func TestExportCommandReproducesTheRun(t *testing.T) {
	s := sameRun(t, "--preset", "answer", "--compare", "sgd,adam")
	s.Run(1200)
	args := strings.Fields(export.Command(s))
	if args[0] != "lnfit" {
		t.Fatalf("command %q", args)
	}
	dir := t.TempDir()
	for i, a := range args {
		if strings.HasPrefix(a, "lnfit-") {
			args[i] = filepath.Join(dir, a)
		}
	}
	r := runCmd(t, args[1:]...)
	if r.code != 0 {
		t.Fatalf("%v: exit %d %s", args, r.code, r.stderr)
	}
	got := readRows(t, filepath.Join(dir, "lnfit-history.csv"))
	want := export.Capture(s, false).Rows()
	if len(got) != len(want) || len(want) == 0 {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("row %d: %+v, the dashboard's run has %+v", i, got[i], want[i])
		}
	}
}

// A loaded network's history starts after its saved step, and so do the
// file's rows.
func TestHistoryOfALoadedNetwork(t *testing.T) {
	dir := t.TempDir()
	net, h := filepath.Join(dir, "net.json"), filepath.Join(dir, "h.csv")
	if r := runCmd(t, "--headless", "--preset", "answer", "--steps", "300", "--save", net); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := runCmd(t, "--headless", "--load", net, "--steps", "100", "--history", h); r.code != 0 {
		t.Fatal(r.stderr)
	}
	rows := readRows(t, h)
	if rows[0].FirstStep != 301 || rows[len(rows)-1].LastStep != 400 {
		t.Fatalf("rows cover %d–%d, want 301–400", rows[0].FirstStep, rows[len(rows)-1].LastStep)
	}
}
