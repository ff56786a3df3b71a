package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
)

// FileFormat and FileVersion mark a saved network; Load refuses anything else.
const (
	FileFormat  = "lnfit-network"
	FileVersion = 1
)

// SavedLayer is one linear layer as other tools read it: W as Out rows of In
// numbers (PyTorch's Linear.weight), b as Out numbers.
type SavedLayer struct {
	W [][]float64 `json:"w"`
	B []float64   `json:"b"`
}

// SavedNetwork is the JSON document written by Save.
type SavedNetwork struct {
	Format     string       `json:"format"`
	Version    int          `json:"version"`
	Sizes      []int        `json:"sizes"`
	Activation string       `json:"activation"`
	Step       int64        `json:"step"`
	Config     Config       `json:"config"`
	Layers     []SavedLayer `json:"layers"`
}

// Export turns the trainer's current network into a SavedNetwork.
func (t *Trainer) Export() SavedNetwork {
	s := SavedNetwork{
		Format:     FileFormat,
		Version:    FileVersion,
		Sizes:      append([]int(nil), t.net.Sizes...),
		Activation: t.act.String(),
		Step:       t.step,
		Config:     t.cfg.Clone(),
	}
	for _, L := range t.net.Layers {
		sl := SavedLayer{W: make([][]float64, L.Out), B: append([]float64(nil), L.B...)}
		for o := range sl.W {
			sl.W[o] = append([]float64(nil), L.W[o*L.In:(o+1)*L.In]...)
		}
		s.Layers = append(s.Layers, sl)
	}
	return s
}

// Encode writes s as indented JSON.
func (s SavedNetwork) Encode(w io.Writer) error {
	for _, L := range s.Layers {
		for _, row := range L.W {
			if !finite(row) {
				return errors.New("the network has NaN or infinite weights: nothing to save")
			}
		}
		if !finite(L.B) {
			return errors.New("the network has NaN or infinite biases: nothing to save")
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(s)
}

// maxFileSize bounds what Decode reads: a 4096-wide net is far smaller.
const maxFileSize = 256 << 20

// DecodeNetwork reads and checks a saved network, saying exactly what is
// wrong: format, version, shapes, configuration and every number.
func DecodeNetwork(r io.Reader) (SavedNetwork, *Network, error) {
	var s SavedNetwork
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return s, nil, err
	}
	if len(data) > maxFileSize {
		return s, nil, fmt.Errorf("file is larger than %d MB: not an lnfit network", maxFileSize>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, nil, fmt.Errorf("not valid lnfit JSON: %v", err)
	}
	if dec.More() {
		return s, nil, errors.New("not valid lnfit JSON: extra data after the network")
	}
	if s.Format != FileFormat {
		return s, nil, fmt.Errorf("format is %q, want %q", s.Format, FileFormat)
	}
	if s.Version != FileVersion {
		return s, nil, fmt.Errorf("version %d is not supported (this lnfit reads version %d)", s.Version, FileVersion)
	}
	if err := checkSizes(s.Sizes); err != nil {
		return s, nil, err
	}
	if len(s.Sizes)-2 > MaxLayers {
		return s, nil, fmt.Errorf("sizes %v: at most %d hidden layers", s.Sizes, MaxLayers)
	}
	act, err := ParseActivation(s.Activation)
	if err != nil {
		return s, nil, err
	}
	if s.Step < 0 {
		return s, nil, fmt.Errorf("step %d is negative", s.Step)
	}
	if s.Config.Data == "" {
		s.Config.Data = DataSample
	}
	if err := s.Config.Validate(); err != nil {
		return s, nil, fmt.Errorf("config: %v", err)
	}
	if HiddenString(s.Config.Hidden) != HiddenString(s.Sizes[1:len(s.Sizes)-1]) {
		return s, nil, fmt.Errorf("config hidden %v does not match sizes %v", s.Config.Hidden, s.Sizes)
	}
	if s.Config.Activation != s.Activation {
		return s, nil, fmt.Errorf("config activation %q does not match activation %q", s.Config.Activation, s.Activation)
	}
	if len(s.Layers) != len(s.Sizes)-1 {
		return s, nil, fmt.Errorf("%d layers, but sizes %v need %d", len(s.Layers), s.Sizes, len(s.Sizes)-1)
	}
	n, _ := NewNetwork(s.Sizes, act)
	for l, sl := range s.Layers {
		L := n.Layers[l]
		if len(sl.W) != L.Out {
			return s, nil, fmt.Errorf("layer %d: w has %d rows, want %d (one per output)", l, len(sl.W), L.Out)
		}
		for o, row := range sl.W {
			if len(row) != L.In {
				return s, nil, fmt.Errorf("layer %d: w row %d has %d numbers, want %d (one per input)", l, o, len(row), L.In)
			}
			for i, v := range row {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return s, nil, fmt.Errorf("layer %d: w[%d][%d] is not a finite number", l, o, i)
				}
			}
			copy(L.W[o*L.In:], row)
		}
		if len(sl.B) != L.Out {
			return s, nil, fmt.Errorf("layer %d: b has %d numbers, want %d", l, len(sl.B), L.Out)
		}
		copy(L.B, sl.B)
	}
	return s, n, nil
}

// LoadFile reads a saved network from path.
func LoadFile(path string) (SavedNetwork, *Network, error) {
	f, err := os.Open(path)
	if err != nil {
		return SavedNetwork{}, nil, err
	}
	defer f.Close()
	s, n, err := DecodeNetwork(f)
	if err != nil {
		return s, nil, fmt.Errorf("%s: %v", path, err)
	}
	return s, n, nil
}

// WriteFileAtomic writes data to path through a temporary file in the same
// directory and a rename, so a crash never leaves a half-written file.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(name, path); err != nil {
		return err
	}
	ok = true
	return nil
}

// SaveFile writes the trainer's network to path atomically.
func (t *Trainer) SaveFile(path string) error {
	s := t.Export()
	return WriteFileAtomic(path, s.Encode)
}
