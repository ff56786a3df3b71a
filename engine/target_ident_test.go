package engine

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"testing"
)

// runHash is the sha256 of a run's parameters and grid MSE after steps steps.
func runHash(t *testing.T, cfg Config, steps int) string {
	t.Helper()
	tr := mustNew(t, cfg)
	tr.Run(steps)
	h := sha256.New()
	var b [8]byte
	for _, p := range tr.net.Params {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(p))
		h.Write(b[:])
	}
	binary.LittleEndian.PutUint64(b[:], math.Float64bits(tr.Metrics().MSE))
	h.Write(b[:])
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// recordedRuns were recorded at main 2923540, before targets and domains
// existed: a default (ln) run must stay the same run bit for bit.
var recordedRuns = []struct {
	name string
	edit func(*Config)
	want string
}{
	{"question", func(*Config) {}, "19b8e8e83c3105a9"},
	{"answer", func(c *Config) { c.Init, c.Optimizer, c.LR, c.Batch = InitNormal, OptAdam, 1e-4, 500 }, "1df61f0cb4673c89"},
	{"answer-xmin", func(c *Config) { c.Init, c.Optimizer, c.LR, c.Batch, c.XMin = InitNormal, OptAdam, 1e-4, 500, 0.01 }, "ea677310eb456557"},
	{"grid", func(c *Config) { c.Init, c.Data = InitNormal, DataGrid }, "030f8a7a9c659cd3"},
	{"dense-tanh", func(c *Config) { c.Init, c.Activation, c.Seed = InitXavier, "tanh", 3 }, "7171fcd92f555515"},
}

func TestDefaultRunsMatchTheRecordedOnes(t *testing.T) {
	for _, r := range recordedRuns {
		cfg := DefaultConfig()
		r.edit(&cfg)
		if got := runHash(t, cfg, 1000); got != r.want {
			t.Errorf("%s: run hash %s, recorded %s", r.name, got, r.want)
		}
	}
}

// A default run's token is the one from before targets and domains (the
// question's, recorded at 2923540), so shared tokens keep their text.
func TestDefaultTokenIsUnchanged(t *testing.T) {
	const recorded = "lnfit1-cD1xdWVzdGlvbjtvPXNnZDtscj0wLjAxO2k9dW5pZm9ybTthPXJlbHU7Yj01MDtoPTUwLDEwO3g9MDtkPXNhbXBsZTtkbz0wO2lzPTE7cz0x"
	if got := (Setup{Label: "question", Config: DefaultConfig()}).Token(); got != recorded {
		t.Fatalf("token %s, recorded %s", got, recorded)
	}
}
