package classroom

import (
	"container/list"
	"net"
	"net/netip"
	"sync"
	"time"
)

// limiter keeps, for each client address, a token bucket of connections, a
// token bucket of failed logins and the count of connections still in their
// handshake. Its table has a fixed capacity: when it is full the address
// used least recently is forgotten, so a flood from many addresses costs
// O(1) per connection and bounded memory.
type limiter struct {
	connRate, connBurst float64 // connections a second, and the burst
	failRate, failBurst float64 // failed logins a second, and the burst
	perAddr, global     int     // connections in their handshake at once

	mu      sync.Mutex
	cap     int
	entries map[string]*list.Element
	lru     *list.List // front: the most recently used
	pending int        // connections in their handshake, all addresses
}

type addrEntry struct {
	key             string
	conns, fails    float64 // tokens
	connAt, failAt  time.Time
	pending         int
	failed, refused int // counted for the log
}

func newLimiter(l Limits) *limiter {
	return &limiter{connRate: l.ConnRate, connBurst: float64(l.ConnBurst), failRate: l.FailRate, failBurst: float64(l.FailBurst),
		perAddr: l.HandshakesPerAddr, global: l.Handshakes, cap: l.AddrTable,
		entries: map[string]*list.Element{}, lru: list.New()}
}

// addrKey is the host part of addr; IPv6 addresses count by their /64, the
// block one client usually holds.
func addrKey(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	if ip.Is4In6() {
		ip = ip.Unmap()
	}
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// entry finds or makes key's entry, under l.mu.
func (l *limiter) entry(key string, now time.Time) *addrEntry {
	if el, ok := l.entries[key]; ok {
		l.lru.MoveToFront(el)
		return el.Value.(*addrEntry)
	}
	if l.lru.Len() >= l.cap {
		old := l.lru.Back()
		l.lru.Remove(old)
		delete(l.entries, old.Value.(*addrEntry).key)
	}
	e := &addrEntry{key: key, conns: l.connBurst, fails: l.failBurst, connAt: now, failAt: now}
	l.entries[key] = l.lru.PushFront(e)
	return e
}

func refill(tokens *float64, at *time.Time, now time.Time, rate, burst float64) {
	*tokens = min(burst, *tokens+now.Sub(*at).Seconds()*rate)
	*at = now
}

// admit decides whether a new connection from key may start its
// handshake; if it may, the caller must call release once the handshake
// is over (or the connection closed).
func (l *limiter) admit(key string, now time.Time) (*addrEntry, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.entry(key, now)
	refill(&e.conns, &e.connAt, now, l.connRate, l.connBurst)
	switch {
	case e.conns < 1:
		e.refused++
		return nil, "too many connections from this address"
	case e.fails < 1:
		e.refused++
		return nil, "too many failed logins from this address"
	case e.pending >= l.perAddr:
		e.refused++
		return nil, "too many handshakes at once from this address"
	case l.pending >= l.global:
		e.refused++
		return nil, "too many handshakes at once"
	}
	e.conns--
	e.pending++
	l.pending++
	return e, ""
}

// release ends a connection's handshake.
func (l *limiter) release(e *addrEntry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e.pending-- // an entry forgotten meanwhile is only garbage now
	l.pending--
}

// failed counts a failed login from key; it reports whether the address
// has failed logins left.
func (l *limiter) failed(key string, now time.Time) (left bool, total int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.entry(key, now)
	refill(&e.fails, &e.failAt, now, l.failRate, l.failBurst)
	e.fails--
	e.failed++
	return e.fails >= 1, e.failed
}

// mayTry reports whether key has failed logins left.
func (l *limiter) mayTry(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.entry(key, now)
	refill(&e.fails, &e.failAt, now, l.failRate, l.failBurst)
	return e.fails >= 1
}

// size is the table's number of addresses.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lru.Len()
}
