package engine

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Data modes.
const (
	DataSample = "sample" // a fresh batch of x ~ U(xmin, 1] every step
	DataGrid   = "grid"   // full batch: the same GridPoints points of (xmin, 1] every step
)

// Limits on what a Config may ask for, so bad input is an error, not an OOM.
const (
	MaxBatch  = 100_000
	MaxHidden = 4096
	MaxLayers = 16
	// A network and its batch buffers must fit in memory with room to spare:
	// parameters (×4 with gradients and optimizer state) and batch × units
	// (×6 per-unit buffers), each far below the machine's memory.
	MaxParams     = 10_000_000
	MaxBatchUnits = 20_000_000
)

// Config is everything that decides a run. The same Config gives the same run, bit for bit.
type Config struct {
	Hidden     []int   `json:"hidden"`
	Activation string  `json:"activation"`
	Init       string  `json:"init"`
	Optimizer  string  `json:"optimizer"`
	LR         float64 `json:"lr"`
	Batch      int     `json:"batch"`
	XMin       float64 `json:"xmin"`
	Data       string  `json:"data"`
	Dropout    float64 `json:"dropout"`
	Seed       uint64  `json:"seed"`
}

// DefaultConfig is the question's setup.
func DefaultConfig() Config {
	return Config{
		Hidden:     []int{50, 10},
		Activation: "relu",
		Init:       InitUniform,
		Optimizer:  OptSGD,
		LR:         0.01,
		Batch:      50,
		Data:       DataSample,
		Seed:       1,
	}
}

// Validate says exactly what is wrong with a Config, or returns nil.
func (c Config) Validate() error {
	if len(c.Hidden) == 0 {
		return fmt.Errorf("hidden: need at least one hidden layer")
	}
	if len(c.Hidden) > MaxLayers {
		return fmt.Errorf("hidden: %d layers, at most %d", len(c.Hidden), MaxLayers)
	}
	for _, h := range c.Hidden {
		if h < 1 || h > MaxHidden {
			return fmt.Errorf("hidden: layer size %d, want 1 to %d", h, MaxHidden)
		}
	}
	if _, err := ParseActivation(c.Activation); err != nil {
		return err
	}
	if err := CheckInit(c.Init); err != nil {
		return err
	}
	if err := CheckOptimizer(c.Optimizer); err != nil {
		return err
	}
	if err := CheckLR(c.LR); err != nil {
		return err
	}
	if c.Batch < 1 || c.Batch > MaxBatch {
		return fmt.Errorf("batch %d: want 1 to %d", c.Batch, MaxBatch)
	}
	if n := paramCount(c.Sizes()); n > MaxParams {
		return fmt.Errorf("hidden %s: %d parameters, at most %d", HiddenString(c.Hidden), n, MaxParams)
	}
	if err := checkBatchUnits(c, c.Batch); err != nil {
		return err
	}
	if !(c.XMin >= 0 && c.XMin < 1) {
		return fmt.Errorf("xmin %v: want 0 ≤ xmin < 1", c.XMin)
	}
	if c.Data != DataSample && c.Data != DataGrid {
		return fmt.Errorf("unknown data mode %q (want sample or grid)", c.Data)
	}
	if !(c.Dropout >= 0 && c.Dropout < 1) {
		return fmt.Errorf("dropout %v: want 0 ≤ dropout < 1", c.Dropout)
	}
	return nil
}

// CheckLR accepts a finite learning rate in (0, 1e6].
func CheckLR(lr float64) error {
	if !(lr > 0) || math.IsInf(lr, 0) || lr > 1e6 {
		return fmt.Errorf("learning rate %v: want a number > 0 and ≤ 1e6", lr)
	}
	return nil
}

// Sizes returns the layer sizes [1, hidden…, 1].
func (c Config) Sizes() []int {
	s := make([]int, 0, len(c.Hidden)+2)
	s = append(s, 1)
	s = append(s, c.Hidden...)
	return append(s, 1)
}

// Clone returns a copy that shares no slices with c.
func (c Config) Clone() Config {
	c.Hidden = append([]int(nil), c.Hidden...)
	return c
}

// HiddenString writes hidden sizes the way the --hidden flag reads them: "50,10".
func HiddenString(h []int) string {
	parts := make([]string, len(h))
	for i, v := range h {
		parts[i] = strconv.Itoa(v)
	}
	return strings.Join(parts, ",")
}

// ParseHidden reads "50,10" into []int{50, 10}.
func ParseHidden(s string) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("hidden %q: want comma-separated layer sizes such as 50,10", s)
	}
	parts := strings.Split(s, ",")
	out := make([]int, 0, len(parts))
	for _, p := range parts {
		v, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || v < 1 || v > MaxHidden {
			return nil, fmt.Errorf("hidden %q: %q is not a layer size from 1 to %d", s, p, MaxHidden)
		}
		out = append(out, v)
	}
	if len(out) > MaxLayers {
		return nil, fmt.Errorf("hidden %q: at most %d layers", s, MaxLayers)
	}
	return out, nil
}

// checkBatchUnits refuses a batch whose per-unit buffers would not fit.
func checkBatchUnits(c Config, batch int) error {
	if c.Data == DataGrid {
		batch = GridPoints
	}
	units := 1
	for _, h := range c.Hidden {
		units += h
	}
	if batch*units > MaxBatchUnits {
		return fmt.Errorf("batch %d with %d units: %d batch×unit buffers, at most %d (use a smaller batch or fewer units)",
			batch, units, batch*units, MaxBatchUnits)
	}
	return nil
}
