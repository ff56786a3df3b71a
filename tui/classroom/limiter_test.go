package classroom

import (
	"fmt"
	"testing"
	"time"
)

// An address is its host; an IPv6 client by its /64, the block one client
// usually holds, so it cannot walk its own block past the limits.
func TestAddrKey(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1:5000":           "127.0.0.1",
		"[::ffff:10.1.2.3]:22":     "10.1.2.3",
		"[2001:db8:1:2:3::9]:22":   "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff::]:22": "2001:db8:1:2::/64",
		"not-an-address":           "not-an-address",
	} {
		if got := addrKey(in); got != want {
			t.Errorf("addrKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// The table forgets the address used least recently, so it stays at its
// capacity under a flood, and an address in use keeps its counts.
func TestLimiterTableIsBounded(t *testing.T) {
	l := newLimiter(Limits{ConnRate: 1, ConnBurst: 2, FailRate: 1, FailBurst: 1, HandshakesPerAddr: 10, Handshakes: 1 << 20, AddrTable: 100})
	now := time.Unix(0, 0)
	if e, _ := l.admit("victim", now); e == nil {
		t.Fatal("the first connection was refused")
	}
	for i := range 10_000 {
		if i%50 == 0 { // the victim keeps connecting: it stays in the table
			l.admit("victim", now)
		}
		if e, why := l.admit(fmt.Sprintf("10.0.%d.%d", i/256, i%256), now); e == nil {
			t.Fatalf("a new address was refused: %s", why)
		}
	}
	if n := l.size(); n != 100 {
		t.Fatalf("the table holds %d addresses; its capacity is 100", n)
	}
	if e, why := l.admit("victim", now); e != nil || why != "too many connections from this address" {
		t.Fatalf("the victim's bucket was forgotten: %v %q", e, why)
	}
}
