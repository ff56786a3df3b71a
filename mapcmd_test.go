package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// A run still exploding when its steps run out is diverging in the
// headless map too, in the text (its glyph and legend line) and in the
// JSON (its own count): SGD lr 1.3 from the normal init overflows only
// near step 750, so at 300 steps both seeds are diverging, and the healthy
// lr 0.001 beside it is learning.
func TestHeadlessMapSaysDiverging(t *testing.T) {
	args := []string{"--headless", "--map", "lr=0.001:1.3:2,init-scale=1:1:1", "--init", "normal", "--steps", "300", "--seeds", "2"}
	r := runCmd(t, append(args, "--json")...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var out struct {
		Cells []map[string]any `json:"cells"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.Cells) != 2 {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	healthy, exploding := out.Cells[0], out.Cells[1]
	if exploding["lr"] != 1.3 || exploding["diverging"] != 2.0 || exploding["learning"] != 0.0 || exploding["median_mse_above_0_01"] != nil {
		t.Fatalf("lr 1.3: %v", exploding)
	}
	if healthy["lr"] != 0.001 || healthy["learning"] != 2.0 || healthy["diverging"] != 0.0 {
		t.Fatalf("lr 0.001: %v", healthy)
	}
	r = runCmd(t, args...)
	for _, want := range []string{"↗2", "↗ diverging", "~2"} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Fatalf("exit %d, the text map lacks %q:\n%s", r.code, want, r.stdout)
		}
	}
}

// A bad --map is one line through the command, naming the bad part and the
// accepted form, exit 2, before any run is trained.
func TestBadMapIsOneLineNamingThePart(t *testing.T) {
	for spec, want := range map[string]string{
		"lr=1:2:0":           "lnfit: --map: axis lr: count 0: want 1 to 64 points, as in lr=1e-5:1:13\n",
		"lr=1e-5:1:13":       `lnfit: --map: "lr=1e-5:1:13" is one axis; a map sweeps two SETTING=LO:HI:COUNT, comma-separated, as in lr=1e-5:1:13,init-scale=0.01:1:9` + "\n",
		"lr=1:2:3,foo=1:2:3": "lnfit: --map: axis foo: unknown setting (want one of lr, init-scale, xmin, dropout, batch)\n",
	} {
		r := runCmd(t, "--headless", "--map", spec)
		if r.code != exitUsage || r.stderr != want || r.stdout != "" {
			t.Errorf("--map %s: exit %d, stderr %q, stdout %q; want 2 and %q", spec, r.code, r.stderr, r.stdout, want)
		}
	}
}
