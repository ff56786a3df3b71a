"""The seed's network in NumPy (hand-written) and PyTorch, timed like lnfit's
BenchmarkStep: steps/s of pure training (sampling x = 1 − U, ln, forward,
MSE, backward, update) on 1→50→10→1 ReLU, truncated-normal σ 0.1 weights and
biases 0.1 (the answer's init), one thread. Run with Debian's python3-numpy
and python3-torch (1.13), e.g.:

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 docs/peers/peers.py

It prints one line per (framework, optimizer, batch): the median of 3 runs.
"""
import os
import statistics
import sys
import time

import numpy as np


def tnormal(rng, shape):
    w = rng.standard_normal(shape) * 0.1
    bad = np.abs(w) > 0.2
    while bad.any():
        w[bad] = rng.standard_normal(bad.sum()) * 0.1
        bad = np.abs(w) > 0.2
    return w


def numpy_run(opt, batch, steps, seed=1):
    rng = np.random.default_rng(seed)
    params = [tnormal(rng, (1, 50)), np.full(50, 0.1), tnormal(rng, (50, 10)), np.full(10, 0.1),
              tnormal(rng, (10, 1)), np.full(1, 0.1)]
    lr = 1e-4 if opt == "adam" else 1e-2
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    b1, b2, eps = 0.9, 0.999, 1e-8
    t0 = time.perf_counter()
    for t in range(1, steps + 1):
        x = 1.0 - rng.random((batch, 1))
        y = np.log(x)
        W1, c1, W2, c2, W3, c3 = params
        h1 = x @ W1 + c1
        a1 = np.maximum(h1, 0)
        h2 = a1 @ W2 + c2
        a2 = np.maximum(h2, 0)
        p = a2 @ W3 + c3
        d = 2.0 * (p - y) / batch
        da2 = d @ W3.T
        dh2 = da2 * (h2 > 0)
        da1 = dh2 @ W2.T
        dh1 = da1 * (h1 > 0)
        grads = [x.T @ dh1, dh1.sum(0), a1.T @ dh2, dh2.sum(0), a2.T @ d, d.sum(0)]
        if opt == "adam":
            c1t, c2t = 1 - b1 ** t, 1 - b2 ** t
            for i, g in enumerate(grads):
                m[i] = b1 * m[i] + (1 - b1) * g
                v[i] = b2 * v[i] + (1 - b2) * g * g
                params[i] -= lr * (m[i] / c1t) / (np.sqrt(v[i] / c2t) + eps)
        else:
            for i, g in enumerate(grads):
                params[i] -= lr * g
    return steps / (time.perf_counter() - t0)


def torch_run(opt, batch, steps, seed=1):
    import torch
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    net = torch.nn.Sequential(torch.nn.Linear(1, 50), torch.nn.ReLU(), torch.nn.Linear(50, 10), torch.nn.ReLU(),
                              torch.nn.Linear(10, 1))
    with torch.no_grad():
        for layer in net:
            if isinstance(layer, torch.nn.Linear):
                torch.nn.init.trunc_normal_(layer.weight, std=0.1, a=-0.2, b=0.2)
                layer.bias.fill_(0.1)
    o = torch.optim.Adam(net.parameters(), lr=1e-4) if opt == "adam" else torch.optim.SGD(net.parameters(), lr=1e-2)
    t0 = time.perf_counter()
    for _ in range(steps):
        x = 1.0 - torch.rand(batch, 1)
        y = torch.log(x)
        loss = torch.mean((net(x) - y) ** 2)
        o.zero_grad()
        loss.backward()
        o.step()
    return steps / (time.perf_counter() - t0)


if __name__ == "__main__":
    which = sys.argv[1:] or ["numpy", "torch"]
    for fw in which:
        run = numpy_run if fw == "numpy" else torch_run
        for opt in ("sgd", "adam"):
            for batch, steps in ((50, 3000), (500, 1000)):
                rates = [run(opt, batch, steps) for _ in range(3)]
                print(f"{fw:6s} {opt:5s} batch {batch:4d}: {statistics.median(rates):9.0f} steps/s  (runs: {', '.join(f'{r:.0f}' for r in rates)})", flush=True)
