package engine

import (
	"math/rand/v2"
	"testing"
)

// benchTargets are the targets the speed claim covers: every built-in and
// two expressions: one a table stands in for, one evaluated exactly (a
// closure tree per sample: a kink inside a cell and x^0.5 defeat the table).
var benchTargets = append(append([]string{}, TargetBuiltins...), "sin(6*x) + x^2", "abs(x - 0.3001) + x^0.5")

// BenchmarkStepTarget is BenchmarkStep's batch=500/adam step for each
// target. The step time also depends on how the net's kinks fall on the
// target, so BenchmarkTargetFill below times the target's own share.
func BenchmarkStepTarget(b *testing.B) {
	for _, name := range benchTargets {
		b.Run(name, func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.Init, cfg.Optimizer, cfg.LR, cfg.Batch, cfg.Target = InitNormal, OptAdam, 1e-4, 500, name
			benchConfig(b, cfg, false)
		})
	}
}

// BenchmarkTargetFill is the target's part of a step: y for a batch of 500.
func BenchmarkTargetFill(b *testing.B) {
	src := rand.NewPCG(1, 2)
	x, y := make([]float64, 500), make([]float64, 500)
	for i := range x {
		x[i] = 1 - unitFloat(src)
	}
	for _, name := range benchTargets {
		b.Run(name, func(b *testing.B) {
			tgt, err := compileTarget(name)
			if err != nil {
				b.Fatal(err)
			}
			tgt = batchTarget(tgt, 0, 1)
			b.Log(name, ": ", tgt.how)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				tgt.fill(y, x)
			}
		})
	}
}

// BenchmarkStepDomain is the batch=500/adam step of x² on domains of the
// same width at different places: the rank lookup's buckets span the
// domain, so no domain walks further than (0,1] does.
func BenchmarkStepDomain(b *testing.B) {
	for _, d := range []string{"0:1", "-1:1", "2:5", "100:103"} {
		b.Run(d, func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.Init, cfg.Optimizer, cfg.LR, cfg.Batch = InitNormal, OptAdam, 1e-4, 500
			for k, v := range map[string]string{"domain": d, "target": "square"} {
				s, _ := LookupSetting(k)
				if err := s.Apply(&cfg, v); err != nil {
					b.Fatal(err)
				}
			}
			benchConfig(b, cfg, false)
		})
	}
}
