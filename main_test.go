package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lnfit/engine"
	"lnfit/tui"
)

type cmdResult struct {
	code           int
	stdout, stderr string
}

func runCmd(t *testing.T, args ...string) cmdResult {
	t.Helper()
	var out, errb bytes.Buffer
	env := environment{stdout: &out, stderr: &errb}
	code := run(context.Background(), args, env)
	return cmdResult{code, out.String(), errb.String()}
}

func TestBadInputIsOneClearLineAndExit2(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.json")
	os.WriteFile(garbage, []byte(`{"format":"lnfit-network","version":1,"sizes":[1,2,1]`), 0o644)
	cases := []struct {
		args []string
		want string // the message must name the flag and say what is allowed
	}{
		{[]string{"--preset", "nope"}, `unknown preset "nope" (known: question, answer`},
		{[]string{"--optimizer", "lion"}, `--optimizer lion: want one of sgd, momentum`},
		{[]string{"--init", "zeros"}, `--init zeros: want one of uniform, normal, xavier, he`},
		{[]string{"--activation", "gelu"}, `--activation gelu: want one of relu`},
		{[]string{"--lr", "0"}, `--lr 0: want a number > 0 and ≤ 1e6`},
		{[]string{"--lr", "-1"}, `--lr -1: want a number > 0`},
		{[]string{"--lr", "NaN"}, `--lr NaN: want a number > 0`},
		{[]string{"--lr", "abc"}, `--lr abc: want a number > 0`},
		{[]string{"--lr"}, `--lr: needs a value`},
		{[]string{"---lr", "1"}, `---lr is not a flag`},
		{[]string{"--batch", "0"}, `--batch 0: want a whole number from 1 to 100,000`},
		{[]string{"--batch", "x"}, `--batch x: want a whole number`},
		{[]string{"--batch", "9223372036854775808"}, `--batch 9223372036854775808: want a whole number from 1 to 100,000`},
		{[]string{"--headless=maybe"}, `--headless maybe: want true or false`},
		{[]string{"--hidden", ""}, `--hidden "": want 1 to 16 comma-separated layer sizes`},
		{[]string{"--hidden", "50,0"}, `--hidden 50,0: want 1 to 16 comma-separated layer sizes from 1 to 4096`},
		{[]string{"--hidden", "50,a"}, `--hidden 50,a: want`},
		{[]string{"--xmin", "1"}, `--xmin 1: want a number with 0 ≤ xmin < 1`},
		{[]string{"--xmin", "-0.5"}, `--xmin -0.5`},
		{[]string{"--steps", "-3", "--headless"}, `--steps -3: want a whole number from 0`},
		{[]string{"--data", "csv"}, `--data csv: want sample`},
		{[]string{"--until", "0", "--headless"}, `--until 0: want an MSE > 0`},
		{[]string{"--load", filepath.Join(dir, "missing.json")}, `--load: ` + filepath.Join(dir, "missing.json") + `: no such file`},
		{[]string{"--load", garbage}, `--load: ` + garbage + `: not valid lnfit JSON`},
		{[]string{"--load", dir}, `is a directory, not a regular file`},
		{[]string{"--load", "no\nsuch\x1b[31m.json"}, `--load: no\x0asuch\x1b[31m.json: no such file`},
		{[]string{"--bogus"}, `unknown flag --bogus`},
		{[]string{"--\x1b[2J\x1b]0;pwned\afoo"}, `unknown flag --\x1b[2J\x1b]0;pwned\x07foo`},
		{[]string{"--hidden", "4096,4096"}, `hidden 4096,4096: 16793601 parameters, at most 10000000`},
		{[]string{"stray"}, `unexpected argument stray`},
		{[]string{"--json"}, `--json, --until and --steps go with --headless`},
		{[]string{"--save", ""}, `--save: needs a value`},
		{[]string{"--load", ""}, `--load: needs a value`},
		{[]string{"--compare", ""}, `--compare: needs a value`},
		{[]string{"--config", ""}, `--config: needs a value`},
		{[]string{"--lesson", ""}, `--lesson: needs a value`},
		{[]string{"--preset", "answer", "--config", engine.Setup{Label: "x", Config: engine.DefaultConfig()}.Token()}, `--config and --preset both set the starting point`},
		// Near misses: one suggestion, in the same line.
		{[]string{"--optimiser", "adam"}, `unknown flag --optimiser: did you mean --optimizer?`},
		{[]string{"--hiden=5"}, `unknown flag --hiden: did you mean --hidden?`},
		{[]string{"--preset", "answr"}, `--preset: unknown preset "answr": did you mean answer?`},
		{[]string{"--preset", "Question"}, `--preset: unknown preset "Question": did you mean question?`},
		{[]string{"--lesson", "seed_story"}, `--lesson: unknown lesson seed_story: did you mean seed-story?`},
		{[]string{"--init", "truncated-normal"}, `--init truncated-normal: want one of uniform, normal, xavier, he; did you mean normal?`},
		{[]string{"--optimizer", "adm"}, `--optimizer adm: want one of sgd, momentum, nesterov, rmsprop, adagrad, adam; did you mean adam?`},
		{[]string{"--activation", "Tanh"}, `--activation Tanh: want one of relu, leaky-relu, tanh, sigmoid; did you mean tanh?`},
		{[]string{"--data", "grd"}, `; did you mean grid?`},
		{[]string{"--serve", "2399"}, `--serve 2399: want HOST:PORT or :PORT; did you mean :2399?`},
		{[]string{"--serve", "nowhere"}, `--serve nowhere: want HOST:PORT or :PORT, e.g.`},
		{[]string{"--steps", "1.5", "--headless"}, `--steps 1.5: want a whole number from 0`},
		{[]string{"--steps", "1e30", "--headless"}, `--steps 1e30: want a whole number from 0`},
		// --save is checked before training.
		{[]string{"--headless", "--save", filepath.Join(dir, "missing", "net.json")}, `--save: the directory ` + filepath.Join(dir, "missing") + ` does not exist`},
		{[]string{"--headless", "--save", filepath.Join(garbage, "net.json")}, `--save: ` + garbage + ` is not a directory`},
		// Combinations, from the rules table.
		{[]string{"--until", "1e-3"}, `--json, --until and --steps go with --headless`},
		{[]string{"--broadcast"}, `--broadcast goes with --serve ADDR`},
		{[]string{"--class-code", "x"}, `--class-code goes with --serve ADDR`},
		{[]string{"--serve", ":0", "--headless"}, `--serve and --headless: a server draws dashboards; give one`},
		{[]string{"--serve", ":0", "--seeds", "3"}, `--seeds goes with --map`},
		{[]string{"--map", "lr=1e-3:1e-2:2,batch=1:50:2"}, `--map goes with --headless (in the dashboard, m opens the map)`},
		{[]string{"--headless", "--map", "lr=1e-3:1e-2:2,batch=1:50:2", "--compare", "sgd,adam"}, `--map trains its own short runs`},
		{[]string{"--headless", "--map", "lr=1e-3:1e-2:2,batch=1:50:2", "--save", "x.json"}, `--map trains many short runs and saves none`},
		{[]string{"--headless", "--lesson", "activations", "--until", "1e-3"}, `--lesson and --until: a lesson says how long it trains`},
		{[]string{"--config", engine.Setup{Label: "x", Config: engine.DefaultConfig()}.Token(), "--load", garbage}, `--config and --load both set the starting point: give one`},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			r := runCmd(t, c.args...)
			if r.code != exitUsage {
				t.Fatalf("exit %d, want 2; stderr %q", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, c.want) {
				t.Fatalf("stderr %q does not say %q", r.stderr, c.want)
			}
			if n := strings.Count(strings.TrimSpace(r.stderr), "\n"); n != 0 {
				t.Fatalf("stderr has %d lines, want one: %q", n+1, r.stderr)
			}
			if strings.Contains(r.stderr, "goroutine") || r.stdout != "" {
				t.Fatalf("unexpected output: %q / %q", r.stdout, r.stderr)
			}
		})
	}
}

func TestNoTerminalNoDashboard(t *testing.T) {
	r := runCmd(t)
	if r.code != exitUsage || !strings.Contains(r.stderr, "stdout is not a terminal") || !strings.Contains(r.stderr, "--headless") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestDashboardGetsPresetAndFlags(t *testing.T) {
	var got engine.Config
	var opts tui.Options
	var label string
	env := environment{stdout: new(bytes.Buffer), stderr: new(bytes.Buffer), stdoutTTY: true,
		dashboard: func(_ context.Context, s *engine.Session, o tui.Options) error {
			got, opts, label = s.Main().Config(), o, s.Label()
			return nil
		}}
	code := run(context.Background(), []string{"--preset", "answer", "--batch", "64", "--save", "x.json"}, env)
	if code != 0 || got.Optimizer != "adam" || got.LR != 1e-4 || got.Batch != 64 || label != "answer · batch → 64" || opts.SavePath != "x.json" {
		t.Fatalf("code %d, config %+v, options %+v", code, got, opts)
	}
	code = run(context.Background(), nil, env)
	if code != 0 || got.Init != "uniform" || got.Optimizer != "sgd" || got.Batch != 50 || label != "question" {
		t.Fatalf("the default is not the question: %+v", got)
	}
}

func decodeSummary(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(s))
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, s)
	}
	if dec.More() {
		t.Fatalf("stdout has more than one JSON object: %s", s)
	}
	return m
}

func TestJSONContract(t *testing.T) {
	r := runCmd(t, "--headless", "--json", "--steps", "300", "--preset", "question-normal-init", "--lr", "0.02", "--hidden", "20,5", "--seed", "7")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	m := decodeSummary(t, r.stdout)
	for _, k := range []string{"preset", "optimizer", "init", "activation", "hidden", "lr", "batch", "xmin", "seed", "data",
		"steps", "loss", "mse", "mse_above_0_01", "spread", "dead", "diverged", "elapsed_s", "steps_per_s"} {
		if _, ok := m[k]; !ok {
			t.Errorf("key %q missing", k)
		}
	}
	if m["preset"] != "question-normal-init · lr → 0.02 · hidden → 20,5" || m["optimizer"] != "sgd" || m["init"] != "normal" || m["lr"] != 0.02 ||
		m["steps"] != 300.0 || m["seed"] != 7.0 || m["diverged"] != false || m["data"] != "sample" || m["activation"] != "relu" {
		t.Fatalf("summary %v", m)
	}
	if h := m["hidden"].([]any); len(h) != 2 || h[0] != 20.0 || h[1] != 5.0 {
		t.Fatalf("hidden %v", m["hidden"])
	}
	if d := m["dead"].([]any); len(d) != 2 {
		t.Fatalf("dead %v", m["dead"])
	}
	for _, k := range []string{"loss", "mse", "mse_above_0_01", "spread", "elapsed_s", "steps_per_s"} {
		if _, ok := m[k].(float64); !ok {
			t.Errorf("%s is %v, want a number", k, m[k])
		}
	}
}

func TestSameFlagsSameNumbers(t *testing.T) {
	a := decodeSummary(t, runCmd(t, "--headless", "--json", "--steps", "500", "--preset", "answer-batch-50").stdout)
	b := decodeSummary(t, runCmd(t, "--headless", "--json", "--steps", "500", "--preset", "answer-batch-50").stdout)
	if a["mse"] != b["mse"] || a["loss"] != b["loss"] {
		t.Fatalf("two identical runs differ: %v vs %v", a["mse"], b["mse"])
	}
}

func TestDivergentExits3WithSummary(t *testing.T) {
	r := runCmd(t, "--headless", "--json", "--preset", "divergent")
	if r.code != exitDiverged {
		t.Fatalf("exit %d, want 3", r.code)
	}
	m := decodeSummary(t, r.stdout)
	if m["diverged"] != true || m["diverged_at"] == nil || m["mse"] != nil {
		t.Fatalf("summary %v", m)
	}
	r = runCmd(t, "--headless", "--preset", "divergent")
	if r.code != exitDiverged || !strings.Contains(r.stdout, "diverged at step") {
		t.Fatalf("text summary: exit %d, %q", r.code, r.stdout)
	}
}

func TestUntilStopsAtFirstCheckBelow(t *testing.T) {
	r := runCmd(t, "--headless", "--json", "--preset", "question-normal-init", "--until", "0.05")
	m := decodeSummary(t, r.stdout)
	at, ok := m["reached_until_at"].(float64)
	if r.code != 0 || !ok || int(at)%1000 != 0 || m["steps"] != at || m["mse_above_0_01"].(float64) >= 0.05 {
		t.Fatalf("exit %d, summary %v", r.code, m)
	}
}

func TestHelpVersionListPresets(t *testing.T) {
	if r := runCmd(t, "--version"); r.code != 0 || !strings.HasPrefix(r.stdout, "lnfit ") {
		t.Fatalf("--version: %d %q", r.code, r.stdout)
	}
	if r := runCmd(t, "--help"); r.code != 0 || !strings.Contains(r.stderr, "--headless") {
		t.Fatalf("--help: %d %q", r.code, r.stderr)
	}
	r := runCmd(t, "--list-presets")
	for _, name := range []string{"question", "answer", "question-normal-init", "question-adam", "answer-xmin", "divergent", "tanh", "xavier-adam", "he-momentum"} {
		if !strings.Contains(r.stdout, "\n"+name+" ") {
			t.Errorf("--list-presets lacks %s", name)
		}
	}
}

func TestCommas(t *testing.T) { // engine.Commas, as the summary uses it
	for in, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 12345: "12,345", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := engine.Commas(in); got != want {
			t.Errorf("engine.Commas(%d) = %q", in, got)
		}
	}
}

func TestCompareGivesLanes(t *testing.T) {
	r := runCmd(t, "--headless", "--json", "--preset", "question-normal-init", "--compare", "sgd,adam,sgd", "--steps", "400")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	m := decodeSummary(t, r.stdout)
	lanes, _ := m["lanes"].([]any)
	if len(lanes) != 3 {
		t.Fatalf("lanes %v", m["lanes"])
	}
	a, b, c := lanes[0].(map[string]any), lanes[1].(map[string]any), lanes[2].(map[string]any)
	if a["optimizer"] != "sgd" || b["optimizer"] != "adam" || a["steps"] != 400.0 || b["steps"] != 400.0 {
		t.Fatalf("lanes %v", lanes)
	}
	// Same optimizer, same weights, same batches: the same numbers, exactly.
	if a["mse"] != c["mse"] || a["mse"] == b["mse"] {
		t.Fatalf("sgd lanes %v vs %v, adam %v", a["mse"], c["mse"], b["mse"])
	}
	for _, bad := range []string{"sgd", "sgd,lion", "a,b,c,d,e"} {
		if r := runCmd(t, "--headless", "--compare", bad); r.code != exitUsage || !strings.Contains(r.stderr, "--compare") {
			t.Errorf("--compare %s: exit %d %q", bad, r.code, r.stderr)
		}
	}
}

func TestConfigTokenReproducesTheRun(t *testing.T) {
	cfg := engine.DefaultConfig()
	cfg.Init, cfg.Optimizer, cfg.LR, cfg.Batch, cfg.Seed = "he", "rmsprop", 2e-3, 32, 77
	tok := engine.Setup{Label: "mine", Config: cfg, Lanes: []engine.Lane{{Optimizer: "sgd", LR: 0.01}, {Optimizer: "adam", LR: 0.001}}}.Token()
	a := decodeSummary(t, runCmd(t, "--headless", "--json", "--config", tok, "--steps", "300").stdout)
	b := decodeSummary(t, runCmd(t, "--headless", "--json", "--config", tok, "--steps", "300").stdout)
	if a["preset"] != "mine" || a["seed"] != 77.0 || a["batch"] != 32.0 || len(a["lanes"].([]any)) != 2 {
		t.Fatalf("token run: %v", a)
	}
	if a["mse"] != b["mse"] {
		t.Fatal("the same token gave different numbers")
	}
	r := runCmd(t, "--headless", "--config", "lnfit1-garbage!")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--config: config token is damaged") {
		t.Fatalf("bad token: exit %d %q", r.code, r.stderr)
	}
}

func TestLessonHeadless(t *testing.T) {
	r := runCmd(t, "--headless", "--json", "--lesson", "activations")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	m := decodeSummary(t, r.stdout)
	if m["lesson"] != "activations" || len(m["captions"].([]any)) < 4 || m["activation"] != "tanh" {
		t.Fatalf("lesson summary %v", m)
	}
	r = runCmd(t, "--headless", "--lesson", "nope")
	if r.code != exitUsage || !strings.Contains(r.stderr, "unknown lesson") {
		t.Fatalf("unknown lesson: exit %d %q", r.code, r.stderr)
	}
	bad := filepath.Join(t.TempDir(), "bad.lesson")
	os.WriteFile(bad, []byte("say hi\nrun lots\n"), 0o644)
	r = runCmd(t, "--headless", "--lesson", bad)
	if r.code != exitUsage || !strings.Contains(r.stderr, "line 2") {
		t.Fatalf("bad lesson file: exit %d %q", r.code, r.stderr)
	}
}

// Outside text reaches the terminal escaped or not at all.
func TestControlCharactersNeverReachTheTerminal(t *testing.T) {
	dir := t.TempDir()
	lesson := filepath.Join(dir, "evil.lesson")
	os.WriteFile(lesson, []byte("say ok\rHIJACK\x07\n"), 0o644)
	bidi := filepath.Join(dir, "bidi.lesson")
	os.WriteFile(bidi, []byte("title \u202eevil\nsay x\n"), 0o644)
	tok := engine.Setup{Label: "\v\a\bHIJACK", Config: engine.DefaultConfig()}.Token()
	for _, args := range [][]string{
		{"--headless", "--lesson", lesson},
		{"--headless", "--lesson", bidi},
		{"--headless", "--config", tok},
		{"--headless", "--load", "no\nsuch\x1b[31m.json"},
		{"--\x1b[2J\x1b]0;pwned\afoo"},
	} {
		r := runCmd(t, args...)
		if r.code != exitUsage {
			t.Errorf("%q: exit %d", args, r.code)
		}
		if strings.ContainsAny(r.stderr+r.stdout, "\x1b\a\b\v\r\u202e") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%q: raw control characters or several lines: %q", args, r.stderr)
		}
	}
}

// A lesson of exactly 1000 lines (with its final newline) is accepted.
func TestLessonOfExactly1000Lines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "long.lesson")
	text := "say start\n" + strings.Repeat("# a comment\n", 998) + "run 1\n"
	os.WriteFile(path, []byte(text), 0o644)
	if r := runCmd(t, "--headless", "--lesson", path); r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	os.WriteFile(path, []byte(text+"run 1\n"), 0o644)
	if r := runCmd(t, "--headless", "--lesson", path); r.code != exitUsage || !strings.Contains(r.stderr, "1001 lines") {
		t.Fatalf("1001 lines: exit %d: %s", r.code, r.stderr)
	}
}
