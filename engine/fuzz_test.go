package engine

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzDecodeNetwork: any bytes give a network or an error, never a panic,
// and whatever is accepted is a finite network of the sizes it claims.
func FuzzDecodeNetwork(f *testing.F) {
	cfg := DefaultConfig()
	cfg.Hidden = []int{3, 2}
	tr, _ := New(cfg)
	var good bytes.Buffer
	_ = tr.Export().Encode(&good)
	f.Add(good.Bytes())
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"format":"lnfit-network","version":1,"sizes":[1,1],"activation":"relu","layers":[{"w":[[1]],"b":[0]}]}`))
	f.Add([]byte(strings.Replace(good.String(), `"sizes": [`, `"sizes": [1,4096,4096,`, 1)))
	f.Add([]byte(`{"format":"lnfit-network","version":1,"sizes":[1,-5,1]}`))
	f.Add([]byte("\x00\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, n, err := DecodeNetwork(bytes.NewReader(data))
		if err != nil {
			return
		}
		if !n.AllFinite() || len(n.Sizes) != len(s.Sizes) {
			t.Fatalf("accepted a bad network: %+v", s.Sizes)
		}
		if got := n.Predict([]float64{0.5}); len(got) != 1 {
			t.Fatal("accepted network does not predict")
		}
	})
}

// FuzzParseHidden: the --hidden parser accepts exactly lists of 1..16 sizes in 1..4096.
func FuzzParseHidden(f *testing.F) {
	for _, s := range []string{"50,10", "", "1", "0", "-3", "50,,10", " 5 , 6 ", "4097", "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", "9999999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseHidden(s)
		if err != nil {
			return
		}
		if len(h) == 0 || len(h) > MaxLayers {
			t.Fatalf("%q gave %v", s, h)
		}
		for _, v := range h {
			if v < 1 || v > MaxHidden {
				t.Fatalf("%q gave size %d", s, v)
			}
		}
		if _, err := ParseHidden(HiddenString(h)); err != nil {
			t.Fatalf("round trip of %v: %v", h, err)
		}
	})
}
