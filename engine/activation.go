package engine

import (
	"fmt"
	"math"
)

// Activation is the nonlinearity applied after every hidden layer.
// The output layer is always linear: we regress y = ln(x), which is negative.
type Activation int

const (
	ReLU Activation = iota
	LeakyReLU
	Tanh
	Sigmoid
)

// LeakySlope is the slope of leaky ReLU for z < 0 (PyTorch's default).
const LeakySlope = 0.01

// Activations lists every activation in the order the dashboard cycles them.
var Activations = []Activation{ReLU, LeakyReLU, Tanh, Sigmoid}

var activationNames = [...]string{"relu", "leaky-relu", "tanh", "sigmoid"}

func (a Activation) String() string {
	if a < 0 || int(a) >= len(activationNames) {
		return fmt.Sprintf("activation(%d)", int(a))
	}
	return activationNames[a]
}

// ParseActivation turns a flag value into an Activation.
func ParseActivation(s string) (Activation, error) {
	for i, n := range activationNames {
		if s == n {
			return Activation(i), nil
		}
	}
	return 0, checkNamed("activation", Config{Activation: s})
}

// activationForward: a[i] = f(z[i]) for a whole (B, N) block.
// The switch sits outside the loop so there is no call per scalar.
func activationForward(act Activation, a, z []float64) {
	a = a[:len(z)]
	switch act {
	case ReLU:
		for i, v := range z {
			if v > 0 {
				a[i] = v
			} else {
				a[i] = 0
			}
		}
	case LeakyReLU:
		for i, v := range z {
			if v > 0 {
				a[i] = v
			} else {
				a[i] = LeakySlope * v
			}
		}
	case Tanh:
		for i, v := range z {
			a[i] = math.Tanh(v)
		}
	case Sigmoid:
		for i, v := range z {
			a[i] = 1 / (1 + math.Exp(-v))
		}
	}
}

// activationBackward: dz[i] = da[i] * f'(z[i]), written from z and a = f(z).
// It overwrites dz (the pre-activation gradient has no other contributor).
func activationBackward(act Activation, dz, da, z, a []float64) {
	dz = dz[:len(da)]
	z = z[:len(da)]
	a = a[:len(da)]
	switch act {
	case ReLU:
		// Select, don't multiply: 0 * Inf would be NaN and spread through dead units.
		for i, g := range da {
			if z[i] > 0 {
				dz[i] = g
			} else {
				dz[i] = 0
			}
		}
	case LeakyReLU:
		for i, g := range da {
			if z[i] > 0 {
				dz[i] = g
			} else {
				dz[i] = LeakySlope * g
			}
		}
	case Tanh:
		for i, g := range da {
			dz[i] = g * (1 - a[i]*a[i])
		}
	case Sigmoid:
		for i, g := range da {
			dz[i] = g * a[i] * (1 - a[i])
		}
	}
}
