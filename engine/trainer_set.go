package engine

import "fmt"

// The changes a driver makes between steps: optimizer, lr, batch,
// dropout, init, activation, a loaded network. Each keeps the run's
// streams as the settings table says (restarts or not).

// SetOptimizer swaps the optimizer, keeping the weights and starting the new
// optimizer's state fresh. Its learning rate is the one it last used (or its
// default). The batch stream is untouched, so the data sequence stays the same.
func (t *Trainer) SetOptimizer(name string) error {
	if err := CheckOptimizer(name); err != nil {
		return err
	}
	t.setOptimizer(name)
	return nil
}

func (t *Trainer) setOptimizer(name string) {
	t.lrs[t.cfg.Optimizer] = t.cfg.LR
	t.opt, _ = NewOptimizer(name, len(t.net.Params)) // name checked by the caller
	t.cfg.Optimizer = name
	t.cfg.LR = t.lrs[name]
}

// SetLR changes the current optimizer's learning rate.
func (t *Trainer) SetLR(lr float64) error {
	if err := CheckLR(lr); err != nil {
		return err
	}
	t.setLR(lr)
	return nil
}

func (t *Trainer) setLR(lr float64) {
	t.cfg.LR = lr
	t.lrs[t.cfg.Optimizer] = lr
}

// SetBatch changes the batch size, keeping weights and optimizer state.
// In grid mode the batch is always the grid; the size is kept for later.
func (t *Trainer) SetBatch(b int) error {
	next := t.cfg.Clone()
	next.Batch = b
	return t.setLive(next)
}

// SetDropout changes the dropout rate on hidden layers (0 turns it off).
func (t *Trainer) SetDropout(p float64) error {
	next := t.cfg.Clone()
	next.Dropout = p
	return t.setLive(next)
}

// setLive moves to next, which may differ only in settings that keep the
// weights and optimizer state (batch, dropout).
func (t *Trainer) setLive(next Config) error {
	if err := next.Validate(); err != nil {
		return err
	}
	resize := next.Batch != t.cfg.Batch && next.Data == DataSample
	t.cfg.Batch, t.cfg.Dropout = next.Batch, next.Dropout
	if resize {
		t.allocBatch()
	}
	return nil
}

// Reinit switches to another initializer and restarts from the same seed, so
// the result is exactly a fresh run of the same configuration with that init.
func (t *Trainer) Reinit(init string) error {
	next := t.cfg.Clone()
	next.Init = init
	return t.restartWith(next)
}

// SetActivation switches the hidden activation and restarts from the same seed.
func (t *Trainer) SetActivation(name string) error {
	next := t.cfg.Clone()
	next.Activation = name
	return t.restartWith(next)
}

// restartWith makes the trainer a fresh run of cfg from step 0 (from
// cfg.Seed), keeping the learning rate each optimizer last used.
func (t *Trainer) restartWith(cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	old := t.cfg
	t.cfg = cfg.Clone()
	t.lrs[cfg.Optimizer] = cfg.LR
	if HiddenString(old.Hidden) != HiddenString(cfg.Hidden) || old.Activation != cfg.Activation ||
		old.Data != cfg.Data || old.XMin != cfg.XMin || old.Batch != cfg.Batch || old.Target != cfg.Target ||
		old.DomainLo != cfg.DomainLo || old.DomainHi != cfg.DomainHi || old.Points != cfg.Points {
		if old.Target != cfg.Target || old.DomainLo != cfg.DomainLo || old.DomainHi != cfg.DomainHi || old.Points != cfg.Points {
			if err := t.buildGrid(); err != nil {
				return err
			}
		}
		if err := t.rebuild(); err != nil {
			return err
		}
	}
	t.Reset(cfg.Seed)
	return nil
}

// LoadNetwork replaces the weights with a copy of n (same sizes required).
// The optimizer state starts fresh; the step count becomes step.
func (t *Trainer) LoadNetwork(n *Network, step int64) error {
	if fmt.Sprint(n.Sizes) != fmt.Sprint(t.net.Sizes) {
		return fmt.Errorf("network sizes %v do not match the configuration's %v", n.Sizes, t.net.Sizes)
	}
	if step < 0 || step > MaxStep {
		return fmt.Errorf("step %d: want 0 to %d", step, int64(MaxStep))
	}
	copy(t.net.Params, n.Params)
	t.opt, _ = NewOptimizer(t.cfg.Optimizer, len(t.net.Params))
	t.rec.reset()
	t.rec.step = step
	t.rec.histStart = step
	t.startUnitDeaths(false)
	return nil
}
