package main

import (
	"encoding/json"
	"lnfit/engine"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 24: a bad expression or a bad points file is one line and exit 2.
func TestBadTargetsAndPointsAreOneLineAndExit2(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.csv", "x,y\n0.1,1\n0.2,zz\n")
	cols := write("cols.csv", "0.1,1\n0.2,2,3\n")
	one := write("one.csv", "0.5,1\n0.5,2\n")
	good := write("good.csv", "x,y\n0,0\n1,1\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--headless", "--target", "sin(6*x) + x^"}, `--target "sin(6*x) + x^": expression ends after character 13`},
		{[]string{"--headless", "--target", "x $ 2"}, `--target "x $ 2": character 3 '$'`},
		{[]string{"--headless", "--target", "1/(x-0.5)"}, `it is +Inf at x = 0.5, inside the domain (0, 1]`},
		{[]string{"--headless", "--domain", "-1:1"}, `target ln: it is NaN at x = -0.9998`},
		{[]string{"--headless", "--domain", "2:1"}, `--domain 2:1: want A:B with A < B`},
		{[]string{"--headless", "--points", bad}, `bad.csv: line 3, column 2: the y value "zz" is not a finite number`},
		{[]string{"--headless", "--points", cols}, `cols.csv: line 2: 3 columns, want 2 (x,y)`},
		{[]string{"--headless", "--points", one}, `every point has x = 0.5`},
		{[]string{"--headless", "--points", dir}, `is a directory, not a regular file`},
		{[]string{"--headless", "--points", good, "--target", "sin"}, `drop --target, --domain and --xmin`},
		{[]string{"--config", tokenOf(t, good)}, `target points: the points come from a file`},
	} {
		r := runCmd(t, c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and one line with %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// tokenOf is the token of a points run: it cannot carry the file.
func tokenOf(t *testing.T, path string) string {
	ps, err := engine.ReadPoints(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg := engine.DefaultConfig()
	ps.Use(&cfg)
	return engine.Setup{Label: "mine", Config: cfg}.Token()
}

func TestTargetsRunHeadless(t *testing.T) {
	pts := filepath.Join(t.TempDir(), "v.csv")
	if err := os.WriteFile(pts, []byte("x,y\n0,0\n0.25,0.5\n0.5,1\n0.75,0.5\n1,0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args       []string
		target, on string
	}{
		{[]string{"--target", "sin"}, "sin", "the whole domain"},
		{[]string{"--target", "x^2", "--domain", "-1:1"}, "x^2", "the whole domain"},
		{[]string{}, "ln", "x ≥ 0.01"},
		{[]string{"--points", pts, "--data", "grid"}, "points", "the points"},
	} {
		args := append([]string{"--headless", "--json", "--steps", "300", "--init", "normal"}, c.args...)
		r := runCmd(t, args...)
		var out map[string]any
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &out) != nil {
			t.Fatalf("%q: exit %d, %s", args, r.code, r.stderr)
		}
		on, _ := out["mse_above_0_01_on"].(string)
		if out["target"] != c.target || !strings.HasPrefix(on, c.on) {
			t.Errorf("%q: target %v, mse_above_0_01_on %q; want %s, %s…", args, out["target"], on, c.target, c.on)
		}
		// The points file is named with its count; a function's run says null.
		p, has := out["points"]
		switch pm, _ := p.(map[string]any); {
		case !has:
			t.Errorf("%q: no points key", args)
		case c.target == "points" && (pm == nil || pm["path"] != pts || pm["count"] != 5.0):
			t.Errorf("%q: points %v, want %s with 5", args, p, pts)
		case c.target != "points" && p != nil:
			t.Errorf("%q: points %v for a function", args, p)
		}
	}
}

// Issue 24 [23]: a points run's domain holds its smallest point, so the
// texts write it closed, [min, max], even when that point is at 0.
func TestPointsDomainHoldsTheSmallestPoint(t *testing.T) {
	pts := filepath.Join(t.TempDir(), "v.csv")
	if err := os.WriteFile(pts, []byte("x,y\n0,0\n0.25,0.5\n0.5,1\n0.75,0.5\n1,0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCmd(t, "--headless", "--steps", "30", "--init", "normal", "--points", pts)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "kinks in [0,1]") && !strings.Contains(r.stdout, " in [0,1] · layer 1") {
		t.Errorf("the kinks line does not say [0,1]:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "(0,1]") || strings.Contains(r.stdout, "(0, 1]") {
		t.Errorf("the domain is written open at the first point:\n%s", r.stdout)
	}
	ps, err := engine.ParsePoints([]byte("0,0\n1,1\n"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := engine.DefaultConfig()
	ps.Use(&cfg)
	if got := engine.DomainText(cfg); got != "[0,1]" {
		t.Errorf("DomainText of points from 0 to 1: %q, want [0,1]", got)
	}
}
