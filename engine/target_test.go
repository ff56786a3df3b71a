package engine

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestBuiltinTargetsTrainAndHoldTheirFormula(t *testing.T) {
	want := map[string]func(float64) float64{
		"ln": math.Log, "sin": func(x float64) float64 { return math.Sin(2 * math.Pi * x) },
		"square": func(x float64) float64 { return x * x }, "sqrt": math.Sqrt,
		"abs": func(x float64) float64 { return math.Abs(x - 0.5) }, "exp": math.Exp,
		"step":     func(x float64) float64 { return map[bool]float64{true: 1, false: 0}[x >= 0.5] },
		"sawtooth": func(x float64) float64 { return 3*x - math.Floor(3*x) },
	}
	for _, name := range TargetBuiltins {
		cfg := DefaultConfig()
		if err := mustSetting(t, "target").Apply(&cfg, name); err != nil {
			t.Fatal(err)
		}
		tr := mustNew(t, cfg)
		tr.Run(3)
		// The batch the last step trained on holds the formula, sample by sample.
		// sin and exp batches come from a table within 1e-9 of the range (2 and e−1).
		tol := map[string]float64{"sin": 2e-9, "exp": 2e-9}[name]
		for i, x := range tr.ws.x {
			if got, w := tr.ws.y[i], want[name](x); math.Abs(got-w) > tol {
				t.Fatalf("%s: y(%v) = %v, want %v", name, x, got, w)
			}
		}
		if got, w := tr.gridY[10], want[name](tr.gridX[10]); got != w {
			t.Fatalf("%s: grid y = %v, want %v", name, got, w)
		}
	}
}

func mustSetting(t *testing.T, name string) *Setting {
	t.Helper()
	s, ok := LookupSetting(name)
	if !ok {
		t.Fatalf("no setting %s", name)
	}
	return s
}

func TestExpressionsEvaluate(t *testing.T) {
	for _, c := range []struct {
		expr string
		x    float64
		want float64
	}{
		{"sin(6*x) + x^2", 0.3, math.Sin(6*0.3) + 0.3*0.3},
		{"2^3^2", 0, 512},
		{"-x^2", 3, -9},
		{"ln(x) - log(x)", 0.7, 0},
		{"exp(1) - e + pi", 0, math.Pi},
		{"abs(x - 0.5) * 2 / (1 + tanh(x))", 0.2, math.Abs(0.2-0.5) * 2 / (1 + math.Tanh(0.2))},
		{"sqrt(x)^3 + cos(x) - tan(x)", 0.4, math.Pow(math.Sqrt(0.4), 3) + math.Cos(0.4) - math.Tan(0.4)},
		{"1.5e-1 * x", 2, 0.3},
		{"x ^ 0.5", 0.25, 0.5},
	} {
		f, err := parseExpr(c.expr)
		if err != nil {
			t.Fatalf("%q: %v", c.expr, err)
		}
		if got := f(c.x); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%q at %v = %v, want %v", c.expr, c.x, got, c.want)
		}
	}
}

func TestBadTargetsSayWhereInOneLine(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"sin(6*x) + x^", "expression ends after character 13"},
		{"sin(6*x) $ 2", `character 10 '$'`},
		{"foo(x)", `character 1 'f': unknown name "foo"`},
		{"(x + 1", "want )"},
		{"sin x", "want ( after sin"},
		{"1/(x-0.3)", "at x = 0.3"},
		{"ln(x - 0.5)", "at x = 0.0001"},
		{strings.Repeat("(", 60) + "x" + strings.Repeat(")", 60), "nested too deeply"},
		{strings.Repeat("x+", 150) + "x", "at most 200"},
		{"exp(100*x)", "inside the domain"},
	} {
		cfg := DefaultConfig()
		err := mustSetting(t, "target").Apply(&cfg, c.in)
		if err == nil {
			t.Fatalf("%q accepted", c.in)
		}
		msg := err.Error()
		if !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "target ") {
			t.Errorf("%q: %q, want one line with %q", c.in, msg, c.want)
		}
		if cfg.Target != TargetLn {
			t.Errorf("%q: config changed on error", c.in)
		}
	}
}

func TestTargetRidesInTheTokenWhole(t *testing.T) {
	cfg := DefaultConfig()
	expr := "sin(6*x) + x^2 - 0.25*cos(3*x)"
	if err := mustSetting(t, "target").Apply(&cfg, expr); err != nil {
		t.Fatal(err)
	}
	s, err := ParseToken(Setup{Label: "mine", Config: cfg}.Token())
	if err != nil {
		t.Fatal(err)
	}
	if s.Config.Target != expr {
		t.Fatalf("token carried %q, want %q", s.Config.Target, expr)
	}
	a, b := mustNew(t, cfg), mustNew(t, s.Config)
	a.Run(200)
	b.Run(200)
	if !sameFloats(a.net.Params, b.net.Params) {
		t.Fatal("the token's run differs from the original")
	}
}

func TestTargetChangeRestartsOnTheNewTarget(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Init = InitNormal
	tr := mustNew(t, cfg)
	tr.Run(50)
	next := tr.Config()
	next.Target = "square"
	if err := tr.restartWith(next); err != nil {
		t.Fatal(err)
	}
	tr.Run(100)
	fresh := mustNew(t, next)
	fresh.Run(100)
	if !sameFloats(tr.net.Params, fresh.net.Params) || tr.gridY[500] != tr.gridX[500]*tr.gridX[500] {
		t.Fatal("a restart on square is not a fresh square run")
	}
}

func TestTablesAreWithinTheirStatedError(t *testing.T) {
	src := rand.NewPCG(7, 7)
	for _, c := range []struct {
		expr  string
		table bool
	}{{"sin", true}, {"exp", true}, {"sin(6*x) + x^2", true}, {"tanh(20*(x-0.5))", false},
		{"abs(x - 0.3001)", false}, {"x^0.5 + sin(40*x)", false}} {
		tgt, err := compileTarget(c.expr)
		if err != nil {
			t.Fatal(err)
		}
		bt := batchTarget(tgt, 0, 1)
		if got := strings.HasPrefix(bt.how, "table"); got != c.table {
			t.Fatalf("%s: %s, want a table: %v", c.expr, bt.how, c.table)
		}
		x, y := make([]float64, 100_000), make([]float64, 100_000)
		for i := range x {
			x[i] = 1 - unitFloat(src)
		}
		bt.fill(y, x)
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := 0; i <= 1000; i++ {
			v := tgt.f(float64(i) / 1000)
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		for i := range x {
			if d := math.Abs(y[i] - tgt.f(x[i])); c.table && d > tableTol*(hi-lo)*1.01 || !c.table && d != 0 {
				t.Fatalf("%s at %v: off by %.3g (range %.3g)", c.expr, x[i], d, hi-lo)
			}
		}
	}
}

// The verdicts name the target and its mean, computed: the question's init
// collapses on x² too, to ∫₀¹ x² dx = 1/3.
func TestCollapseTextFollowsTheTarget(t *testing.T) {
	for _, c := range []struct{ target, want string }{
		{"square", "collapsed to the mean of the target (≈ 0.33)"},
		{"abs", "collapsed to the mean of the target (≈ 0.25)"},
		{"ln", "collapsed to the mean of ln x (≈ -1.00)"},
	} {
		cfg := DefaultConfig()
		cfg.Target = c.target
		tr := mustNew(t, cfg)
		tr.Run(2000)
		if d := tr.Diagnose(); !strings.HasPrefix(d.Text, c.want) {
			t.Errorf("%s: %q, want %q", c.target, d.Text, c.want)
		}
	}
	cfg := DefaultConfig()
	cfg.Target = "x^2"
	if got := TargetMean(cfg); math.Abs(got-1.0/3) > 1e-8 {
		t.Fatalf("mean of x^2 on (0,1]: %v", got)
	}
}
