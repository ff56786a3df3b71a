package engine

import (
	"math"
	"strings"
	"testing"
)

func TestParsePoints(t *testing.T) {
	ps, err := ParsePoints([]byte("x,y\r\n# a comment\n0.5, 2\n\n0.1,1\n0.9,-3e-1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !sameFloats(ps.X, []float64{0.1, 0.5, 0.9}) || !sameFloats(ps.Y, []float64{1, 2, -0.3}) {
		t.Fatalf("points %v %v", ps.X, ps.Y)
	}
	for _, c := range []struct{ in, want string }{
		{"0.1,1\n0.2,NaN\n", `line 2, column 2: the y value "NaN" is not a finite number`},
		{"a,b\n1,x\n", `line 2, column 2: the y value "x" is not`},
		{"0.1,1\ninf,1\n", `line 2, column 1: the x value "inf"`},
		{"x;y\n0.1;1\n", `line 2: 1 columns, want 2 (x,y): x and y are separated by ",", not ";"`},
		{"0.1,1\n0.2\n", "line 2: 1 columns, want 2"},
		{"0.1,1\n0.2,1e10\n", "line 2, column 2"},
		{"x,y\n", "no x,y points"},
		{"1,1\n1,2\n", "every point has x = 1"},
		{strings.Repeat("0.5,1\n", MaxPoints) + "0.6,1\n", "more than 10000 points"},
	} {
		if _, err := ParsePoints([]byte(c.in)); err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%.30q: %v, want %q", c.in, err, c.want)
		}
	}
}

func TestPointsTrainOnThePointsAndMeasureThere(t *testing.T) {
	ps, err := ParsePoints([]byte("-1,1\n-0.5,0.25\n0,0\n0.5,0.25\n1,1\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, data := range []string{DataSample, DataGrid} {
		cfg := DefaultConfig()
		cfg.Init, cfg.Optimizer, cfg.LR, cfg.Data = InitNormal, OptAdam, 1e-3, data
		ps.Use(&cfg)
		tr := mustNew(t, cfg)
		tr.Run(2)
		on := map[float64]float64{-1: 1, -0.5: 0.25, 0: 0, 0.5: 0.25, 1: 1}
		for i, x := range tr.ws.x {
			if y, ok := on[x]; !ok || tr.ws.y[i] != y {
				t.Fatalf("%s: sample (%v, %v) is not a point", data, x, tr.ws.y[i])
			}
		}
		if data == DataGrid && len(tr.ws.x) != 5 {
			t.Fatalf("grid: a batch of %d, want the 5 points", len(tr.ws.x))
		}
		tr.Run(3000)
		m := tr.Metrics()
		var sse float64
		pred := tr.net.Clone().Predict(ps.X)
		for i := range ps.X {
			d := pred[i] - ps.Y[i]
			sse += d * d
		}
		if want := sse / 5; math.Abs(m.MSE-want) > 1e-12 || m.MSEAbove001 != m.MSE || m.MSEAboveOn != AbovePoints {
			t.Fatalf("%s: mse %v (%s), want %v on the points", data, m.MSE, m.MSEAboveOn, want)
		}
		if m.MSE > 1e-3 {
			t.Fatalf("%s: five points not learnt in 3000 steps: mse %v", data, m.MSE)
		}
	}
}
