package engine

import (
	"math"
	"math/rand/v2"
)

// Initializer names, as used in flags, keys, JSON and the UI.
const (
	InitUniform = "uniform" // W, b ~ U[0,1): tf.random_uniform's default, the question's
	InitNormal  = "normal"  // W ~ truncated normal σ 0.1 (redrawn beyond 2σ), b = 0.1: the answer's
	InitXavier  = "xavier"  // Glorot uniform U(±√(6/(in+out))), b = 0
	InitHe      = "he"      // He normal N(0, 2/in), b = 0
)

// Inits lists the initializers in the order the dashboard cycles them.
var Inits = []string{InitUniform, InitNormal, InitXavier, InitHe}

// InitDescription says in a few words what an initializer draws.
var InitDescription = map[string]string{
	InitUniform: "W, b ~ U[0,1)",
	InitNormal:  "W ~ truncated N(0, 0.1²), b = 0.1",
	InitXavier:  "W ~ U(±√(6/(in+out))), b = 0",
	InitHe:      "W ~ N(0, 2/in), b = 0",
}

// CheckInit returns an error naming the allowed values if name is unknown.
func CheckInit(name string) error { return checkNamed("init", Config{Init: name}) }

// InitializeScaled is Initialize with every weight and bias multiplied by
// scale: the init-scale setting (1: the initializer as defined).
func InitializeScaled(n *Network, name string, scale float64, rng *rand.Rand) error {
	if err := Initialize(n, name, rng); err != nil {
		return err
	}
	if scale != 1 {
		for i := range n.Params {
			n.Params[i] *= scale
		}
	}
	return nil
}

// Initialize fills the network's parameters from rng, layer by layer, W row by row.
func Initialize(n *Network, name string, rng *rand.Rand) error {
	if err := CheckInit(name); err != nil {
		return err
	}
	for _, L := range n.Layers {
		switch name {
		case InitUniform:
			for i := range L.W {
				L.W[i] = rng.Float64()
			}
			for i := range L.B {
				L.B[i] = rng.Float64()
			}
		case InitNormal:
			for i := range L.W {
				L.W[i] = truncatedNormal(rng, 0.1)
			}
			fill(L.B, 0.1)
		case InitXavier:
			limit := math.Sqrt(6 / float64(L.In+L.Out))
			for i := range L.W {
				L.W[i] = limit * (2*rng.Float64() - 1)
			}
			fill(L.B, 0)
		case InitHe:
			sd := math.Sqrt(2 / float64(L.In))
			for i := range L.W {
				L.W[i] = sd * rng.NormFloat64()
			}
			fill(L.B, 0)
		}
	}
	return nil
}

// truncatedNormal draws N(0, sd²) and redraws anything beyond 2·sd, as
// tf.truncated_normal does.
func truncatedNormal(rng *rand.Rand, sd float64) float64 {
	for {
		v := rng.NormFloat64()
		if v >= -2 && v <= 2 {
			return sd * v
		}
	}
}

func fill(v []float64, c float64) {
	for i := range v {
		v[i] = c
	}
}
