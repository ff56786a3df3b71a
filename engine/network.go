package engine

import "fmt"

// Network is a fully connected net with sizes [1, h1, …, 1]: hidden layers
// with one activation, a linear output.
//
// Every parameter lives in one flat slice, Params. Layer l's weights W (Out×In,
// row-major: PyTorch's Linear.weight layout) and biases B are views into it,
// so an optimizer is one loop over one slice.
type Network struct {
	Sizes  []int
	Act    Activation
	Params []float64
	Layers []Layer
}

// Layer is a view of one linear layer's parameters (or of their gradients).
type Layer struct {
	In, Out int
	W       []float64 // (Out, In)
	B       []float64 // (Out)
}

// NewNetwork makes a zero network of the given sizes; an Initializer fills it.
func NewNetwork(sizes []int, act Activation) (*Network, error) {
	if err := checkSizes(sizes); err != nil {
		return nil, err
	}
	n := &Network{Sizes: append([]int(nil), sizes...), Act: act}
	n.Params = make([]float64, paramCount(sizes))
	n.Layers = layerViews(sizes, n.Params)
	return n, nil
}

func checkSizes(sizes []int) error {
	if len(sizes) < 2 || sizes[0] != 1 || sizes[len(sizes)-1] != 1 {
		return fmt.Errorf("network sizes %v: want [1, hidden…, 1]", sizes)
	}
	for _, s := range sizes {
		if s < 1 || s > 4096 {
			return fmt.Errorf("network sizes %v: every layer needs 1 to 4096 units", sizes)
		}
	}
	return nil
}

func paramCount(sizes []int) int {
	n := 0
	for l := 1; l < len(sizes); l++ {
		n += sizes[l]*sizes[l-1] + sizes[l]
	}
	return n
}

// layerViews cuts a flat slice into per-layer W and B views.
func layerViews(sizes []int, flat []float64) []Layer {
	layers := make([]Layer, len(sizes)-1)
	off := 0
	for l := range layers {
		in, out := sizes[l], sizes[l+1]
		layers[l] = Layer{In: in, Out: out}
		layers[l].W = flat[off : off+in*out : off+in*out]
		off += in * out
		layers[l].B = flat[off : off+out : off+out]
		off += out
	}
	return layers
}

// Clone returns a deep copy.
func (n *Network) Clone() *Network {
	c, _ := NewNetwork(n.Sizes, n.Act)
	copy(c.Params, n.Params)
	return c
}

// Hidden returns the hidden layer sizes.
func (n *Network) Hidden() []int { return append([]int(nil), n.Sizes[1:len(n.Sizes)-1]...) }

// workspace holds every per-batch buffer, allocated once per batch size,
// so a training step allocates nothing.
type workspace struct {
	batch  int
	x, y   []float64   // (B) inputs and targets
	z, a   [][]float64 // per layer (B,Out): pre-activation, output (a[last] is the prediction)
	dz, da [][]float64 // per layer (B,Out): gradients of z and a
	mask   [][]float64 // per hidden layer (B,Out): dropout keep-mask, 0 or 1/(1-p)
	h      [][]float64 // per hidden layer (B,Out): a·mask, the next layer's input under dropout
}

// newEvalWorkspace holds only what a forward pass without dropout writes
// (z and a): a third of a training workspace, for the 1000-point grid.
func newEvalWorkspace(sizes []int, batch int) *workspace {
	nl := len(sizes) - 1
	ws := &workspace{batch: batch, x: make([]float64, batch), y: make([]float64, batch)}
	ws.z = make([][]float64, nl)
	ws.a = make([][]float64, nl)
	for l := 0; l < nl; l++ {
		ws.z[l] = make([]float64, batch*sizes[l+1])
		ws.a[l] = make([]float64, batch*sizes[l+1])
	}
	return ws
}

func newWorkspace(sizes []int, batch int) *workspace {
	nl := len(sizes) - 1
	ws := &workspace{batch: batch, x: make([]float64, batch), y: make([]float64, batch)}
	ws.z = make([][]float64, nl)
	ws.a = make([][]float64, nl)
	ws.dz = make([][]float64, nl)
	ws.da = make([][]float64, nl)
	ws.mask = make([][]float64, nl)
	ws.h = make([][]float64, nl)
	for l := 0; l < nl; l++ {
		m := batch * sizes[l+1]
		ws.z[l] = make([]float64, m)
		ws.a[l] = make([]float64, m)
		ws.dz[l] = make([]float64, m)
		ws.da[l] = make([]float64, m)
		ws.mask[l] = make([]float64, m)
		ws.h[l] = make([]float64, m)
	}
	return ws
}

// newWorkspaceView makes an empty workspace whose slices viewInto fills.
func newWorkspaceView(nl int) *workspace {
	return &workspace{z: make([][]float64, nl), a: make([][]float64, nl), dz: make([][]float64, nl),
		da: make([][]float64, nl), mask: make([][]float64, nl), h: make([][]float64, nl)}
}

// viewInto points v at samples off … off+n−1 of ws, allocating nothing.
func (ws *workspace) viewInto(v *workspace, off, n int) *workspace {
	v.batch = n
	v.x, v.y = ws.x[off:off+n], ws.y[off:off+n]
	for l := range ws.z {
		out := len(ws.z[l]) / ws.batch
		lo, hi := off*out, (off+n)*out
		v.z[l], v.a[l], v.dz[l] = ws.z[l][lo:hi], ws.a[l][lo:hi], ws.dz[l][lo:hi]
		v.da[l], v.mask[l], v.h[l] = ws.da[l][lo:hi], ws.mask[l][lo:hi], ws.h[l][lo:hi]
	}
	return v
}

// forward runs the net on ws.x[:B] and returns the prediction (B).
// With dropout (train only) each hidden output is multiplied by ws.mask.
func (n *Network) forward(ws *workspace, B int, dropout bool) []float64 {
	in := ws.x[:B]
	last := len(n.Layers) - 1
	for l, L := range n.Layers {
		z := ws.z[l][:B*L.Out]
		linearForward(z, in, L.W, L.B, B, L.In, L.Out)
		if l == last {
			return z // linear output
		}
		a := ws.a[l][:B*L.Out]
		activationForward(n.Act, a, z)
		in = a
		if dropout {
			h, m := ws.h[l][:len(a)], ws.mask[l][:len(a)]
			for i := range a {
				h[i] = a[i] * m[i]
			}
			in = h
		}
	}
	panic("unreachable")
}

// backward propagates dpred (B) through the net after forward, accumulating
// parameter gradients into grads (laid out like Params).
func (n *Network) backward(grads []Layer, ws *workspace, B int, dpred []float64, dropout bool) {
	last := len(n.Layers) - 1
	dout := dpred
	for l := last; l >= 0; l-- {
		L := n.Layers[l]
		var in, din []float64
		if l == 0 {
			in = ws.x[:B] // no gradient for the data
		} else {
			in = ws.a[l-1][:B*L.In]
			if dropout {
				in = ws.h[l-1][:B*L.In]
			}
			din = ws.da[l-1][:B*L.In]
		}
		linearBackward(grads[l].W, grads[l].B, din, dout, in, L.W, B, L.In, L.Out)
		if l == 0 {
			return
		}
		if dropout {
			m := ws.mask[l-1][:len(din)]
			for i := range din {
				din[i] *= m[i]
			}
		}
		dz := ws.dz[l-1][:len(din)]
		activationBackward(n.Act, dz, din, ws.z[l-1], ws.a[l-1])
		dout = dz
	}
}

// Predict evaluates the network at xs into out (allocating only its own scratch).
func (n *Network) Predict(xs []float64) []float64 {
	ws := newEvalWorkspace(n.Sizes, len(xs))
	copy(ws.x, xs)
	return append([]float64(nil), n.forward(ws, len(xs), false)...)
}

// finite reports whether every value is a finite number.
func finite(v []float64) bool {
	for _, x := range v {
		if x-x != 0 { // NaN for ±Inf and NaN, 0 for every finite x
			return false
		}
	}
	return true
}

// AllFinite reports whether every parameter is a finite number.
func (n *Network) AllFinite() bool { return finite(n.Params) }
