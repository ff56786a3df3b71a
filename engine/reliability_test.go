package engine

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A step taken in parts gives the same gradient as one taken whole (to
// rounding), and a stop between parts abandons the step untouched.
func TestStepInPartsMatchesWholeAndStops(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Activation, cfg.Init, cfg.Batch = "tanh", InitNormal, 64
	whole, parts := mustNew(t, cfg), mustNew(t, cfg)
	whole.Run(3)
	old := partWork
	partWork = 3 * len(parts.net.Params) * 5 // parts of 5 samples
	defer func() { partWork = old }()
	parts.Run(3)
	for i, p := range whole.net.Params {
		if d := math.Abs(p - parts.net.Params[i]); d > 1e-12*(1+math.Abs(p)) {
			t.Fatalf("param %d: whole %v, in parts %v", i, p, parts.net.Params[i])
		}
	}
	before := append([]float64(nil), parts.net.Params...)
	asked := 0
	parts.SetStop(func() bool { asked++; return asked >= 2 })
	if n := parts.Run(5); n != 0 || parts.Step() != 3 || !sameFloats(before, parts.net.Params) || asked != 2 {
		t.Fatalf("a stopped step: took %d, step %d, asked %d, weights changed %v", n, parts.Step(), asked, !sameFloats(before, parts.net.Params))
	}
}

// Formatters take the whole int64 and float64 range, without recursion.
func TestFormattersTakeTheWholeRange(t *testing.T) {
	cases := map[int64]string{math.MaxInt64: "9,223,372,036,854,775,807", math.MinInt64: "-9,223,372,036,854,775,808", -5: "-5", -999: "-999", -1000: "-1,000"}
	for n, want := range cases {
		if got := Commas(n); got != want {
			t.Errorf("Commas(%d) = %q, want %q", n, got, want)
		}
	}
	for _, v := range []float64{math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, math.NaN(), math.Inf(-1)} {
		if s := FormatValue(v); s == "" || len(s) > 12 {
			t.Errorf("FormatValue(%v) = %q", v, s)
		}
	}
}

func FuzzFormatters(f *testing.F) {
	f.Add(int64(0), 0.0)
	f.Add(int64(math.MinInt64), math.Inf(1))
	f.Add(int64(math.MaxInt64), math.NaN())
	f.Fuzz(func(t *testing.T, n int64, v float64) {
		s := Commas(n)
		if strings.ReplaceAll(s, ",", "") != strings.TrimSpace(strings.ReplaceAll(s, ",", "")) || len(s) > 26 {
			t.Fatalf("Commas(%d) = %q", n, s)
		}
		if FormatValue(v) == "" {
			t.Fatalf("FormatValue(%v) is empty", v)
		}
	})
}

// A saved network claiming a step past MaxStep is refused; one at MaxStep
// loads and stops training cleanly instead of overflowing.
func TestMaxStepFile(t *testing.T) {
	tr := mustNew(t, DefaultConfig())
	tr.Run(3)
	var buf bytes.Buffer
	_ = tr.Export().Encode(&buf)
	for _, step := range []string{"9223372036854775807", "1000000000000001", "-1"} {
		bad := strings.Replace(buf.String(), `"step": 3`, `"step": `+step, 1)
		if _, _, err := DecodeNetwork(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "want 0 to 1000000000000000") {
			t.Errorf("step %s: %v", step, err)
		}
	}
	s, n, err := DecodeNetwork(strings.NewReader(strings.Replace(buf.String(), `"step": 3`, `"step": 1000000000000000`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	again := mustNew(t, s.Config)
	if err := again.LoadNetwork(n, s.Step); err != nil {
		t.Fatal(err)
	}
	if took := again.Run(5); took != 0 || again.Step() != MaxStep || Commas(again.Step()) != "1,000,000,000,000,000" {
		t.Fatalf("at MaxStep: took %d, step %d", took, again.Step())
	}
}

// Bad content is quoted short and escaped; a huge row is refused before decoding.
func TestBadFilesAreQuotedShort(t *testing.T) {
	huge := `{"format":"` + strings.Repeat("\x1bA", 100_000) + `","version":1}`
	_, _, err := DecodeNetwork(strings.NewReader(huge))
	if err == nil || len(err.Error()) > 200 || strings.Contains(err.Error(), "\x1b") {
		t.Fatalf("error for a huge format string: %.200q (%d bytes)", err, len(err.Error()))
	}
	row := `{"format":"lnfit-network","version":1,"sizes":[1,2,1],"layers":[{"w":[[` + strings.Repeat("1,", 300_000) + `1]],"b":[0]}]}`
	if _, _, err := DecodeNetwork(strings.NewReader(row)); err == nil || !strings.Contains(err.Error(), "more than 4096 numbers") {
		t.Fatalf("huge row: %v", err)
	}
}

// Only regular files are read; devices and directories are refused at once.
func TestReadFileCappedRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadFileCapped(dir, 10); err == nil || !strings.Contains(err.Error(), "a directory, not a regular file") {
		t.Fatalf("directory: %v", err)
	}
	if _, err := ReadFileCapped("/dev/zero", 10); err == nil || !strings.Contains(err.Error(), "a device, not a regular file") {
		t.Fatalf("/dev/zero: %v", err)
	}
	big := filepath.Join(dir, "big")
	os.WriteFile(big, make([]byte, 100), 0o644)
	if _, err := ReadFileCapped(big, 99); err == nil || !strings.Contains(err.Error(), "at most 99 are read") {
		t.Fatalf("too big: %v", err)
	}
	if _, err := ReadFileCapped(filepath.Join(dir, "no\x1b[31m"), 10); err == nil || strings.Contains(err.Error(), "\x1b") {
		t.Fatalf("escape in a path reached the error: %q", err)
	}
}

// A save replaces only what it saw: a file that appeared, or that was
// replaced since, is kept and the network goes to a fresh name.
func TestSaveGuardedKeepsWhatChanged(t *testing.T) {
	dir := t.TempDir()
	tr := mustNew(t, DefaultConfig())
	path := filepath.Join(dir, "net.json")
	seen, _ := StatFile(path) // nothing there
	os.WriteFile(path, []byte("appeared while training"), 0o644)
	got, after, err := tr.SaveGuarded(path, seen)
	if err != nil || got != filepath.Join(dir, "net-1.json") {
		t.Fatalf("saved to %s, %v", got, err)
	}
	if b, _ := os.ReadFile(path); string(b) != "appeared while training" {
		t.Fatal("a file that appeared was replaced")
	}
	// Our own file, unchanged: replaced in place.
	tr.Run(1)
	if again, _, err := tr.SaveGuarded(got, after); err != nil || again != got {
		t.Fatalf("our own file: %s %v", again, err)
	}
	// Replaced by someone since: kept.
	seen, _ = StatFile(got)
	os.WriteFile(got, []byte(`{"someone":"else"}`), 0o644)
	third, _, err := tr.SaveGuarded(got, seen)
	if err != nil || third == got {
		t.Fatalf("a replaced file: saved to %s, %v", third, err)
	}
	if b, _ := os.ReadFile(got); string(b) != `{"someone":"else"}` {
		t.Fatal("a file replaced since the look was overwritten")
	}
}

// Every entry point of outside text refuses control characters.
func TestControlCharactersAreRefused(t *testing.T) {
	for _, bad := range []string{"a\x07b", "\x0bHIJACK", "x\u009b2J", "\u202eevil", "\x7f", "a\rb"} {
		if err := CheckText("label", bad, 64); err == nil {
			t.Errorf("%q accepted", bad)
		}
		tok := Setup{Label: bad, Config: DefaultConfig()}.Token()
		if _, err := ParseToken(tok); err == nil || !strings.Contains(err.Error(), "control character") {
			t.Errorf("token label %q: %v", bad, err)
		}
		if e := EscapeText(bad); strings.ContainsAny(e, "\x07\x0b\x7f\r\u009b\u202e") {
			t.Errorf("EscapeText(%q) = %q", bad, e)
		}
	}
	if err := CheckText("caption", strings.Repeat("é", 501), 500); err == nil || !strings.Contains(err.Error(), "at most 500") {
		t.Fatalf("long caption: %v", err)
	}
}

// The answer's setup (a small init, so a nearly flat net at first) is
// "learning" at every one of its first 400 steps: never "saturated", and
// flat only with the words that say why.
func TestAnswerIsLearningFromTheStart(t *testing.T) {
	for _, preset := range []Config{answerLike(500), answerLike(50)} {
		tr := mustNew(t, preset)
		var prev Diagnosis
		for step := 1; step <= 400; step++ {
			tr.Run(1)
			if step < 5 {
				continue
			}
			d := DiagnoseAfter(prev, tr.Snapshot())
			if d.Status != StatusLearning && d.Status != StatusConverged {
				t.Fatalf("batch %d step %d: %s (%q)", preset.Batch, step, d.Status, d.Text)
			}
			if d.Kind == "flat" && !strings.Contains(d.Text, "still nearly flat (small init)") {
				t.Fatalf("flat without the reason: %q", d.Text)
			}
			prev = d
		}
	}
}

func answerLike(batch int) Config {
	c := DefaultConfig()
	c.Init, c.Optimizer, c.LR, c.Batch = InitNormal, OptAdam, 1e-4, batch
	return c
}

// A collapsed batch-1 run, read every 10 steps for 200 readings, keeps one
// verdict: its output bias wanders around the mean, the words do not.
func TestCollapsedBatch1VerdictDoesNotFlicker(t *testing.T) {
	c := DefaultConfig()
	c.Batch = 1
	tr := mustNew(t, c)
	var prev Diagnosis
	kinds := map[string]int{}
	for i := 0; i < 700; i++ { // read from the start, as the dashboard does
		tr.Run(10)
		prev = DiagnoseAfter(prev, tr.Snapshot())
		if i >= 500 {
			kinds[prev.Kind]++
		}
	}
	if len(kinds) != 1 || kinds["collapsed-mean"] != 200 {
		t.Fatalf("verdicts over 200 readings: %v", kinds)
	}
}

// The log buckets tile the steps with no gap or overlap, stay bounded, and
// keep the first steps exactly.
func TestLogHistoryTilesTheSteps(t *testing.T) {
	h := NewHistory()
	for i := 1; i <= 1_000_000; i++ {
		h.Add(float64(i))
	}
	next := int64(1)
	var total int64
	for i, b := range h.Log {
		if b.First != next || b.Count < 1 {
			t.Fatalf("log bucket %d starts at %d (want %d), count %d", i, b.First, next, b.Count)
		}
		if b.Min != float64(b.First) || b.Max != float64(b.First+b.Count-1) {
			t.Fatalf("log bucket %d: min %v max %v for steps %d–%d", i, b.Min, b.Max, b.First, b.First+b.Count-1)
		}
		next += b.Count
		total += b.Count
	}
	if total != h.Steps || len(h.Log) > 170 || h.Log[0].Count != 1 || h.Log[14].First != 15 {
		t.Fatalf("%d log buckets covering %d of %d steps", len(h.Log), total, h.Steps)
	}
	if logIndex(math.MaxInt64) >= LogCap {
		t.Fatalf("logIndex(MaxInt64) = %d, cap %d", logIndex(math.MaxInt64), LogCap)
	}
}

// A cloned session (a student's fork of the teacher's run) continues bit
// for bit as the original does: weights, optimizer state and batch stream.
func TestSessionCloneIsAFairFork(t *testing.T) {
	s := NewSession(mustNew(t, answerLike(50)), "answer")
	s.Run(300)
	_ = s.Race([]Lane{{Optimizer: OptAdam}, {Optimizer: OptMomentum, LR: 0.01}}, 0)
	s.Run(50)
	c := s.Clone()
	s.Run(200)
	c.Run(200)
	for i := range s.Lanes() {
		if !sameFloats(s.Lanes()[i].net.Params, c.Lanes()[i].net.Params) || s.Lanes()[i].Step() != c.Lanes()[i].Step() {
			t.Fatalf("lane %d differs after the fork", i)
		}
	}
	if c.Label() != s.Label() {
		t.Fatalf("labels %q and %q", c.Label(), s.Label())
	}
}
