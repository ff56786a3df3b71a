package classroom

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// The browser door's attack suite, as attack_test.go is the SSH door's:
// each test makes the server spend what a hostile tab could make it spend,
// and asserts the bound that holds.

// A message past the read limit ends that socket (1009): the server reads
// at most its 8 kB of it. (The heap is logged, not bounded: the Go clients
// here hold copies of what they send.)
func TestWebHugeMessageIsRefused(t *testing.T) {
	c, web := startWebClass(t, Config{})
	big := make([]byte, 4<<20)
	base := heapMB()
	for i := range 20 {
		tb := joinTab(t, web, "big", "", 80, 24)
		tb.waitFor(t, "lnfit")
		_ = tb.c.Write(context.Background(), websocket.MessageBinary, big)
		if ce := tb.closed(t); ce.Code != websocket.StatusMessageTooBig {
			t.Fatalf("message %d of 4 MB: closed with %v, want 1009", i+1, ce)
		}
		_ = tb.c.CloseNow()
	}
	eventually(t, "every seat given back", func() bool { return c.sessions.Load() == 0 })
	t.Logf("20 messages of 4 MB, each refused with 1009: the test process's heap grew %.1f MB (clients included)", heapMB()-base)
}

// Bad JSON, a message of the wrong kind, or no join at all: one close
// saying so, and nothing else.
func TestWebBadMessages(t *testing.T) {
	c, web := startWebClass(t, Config{Limits: Limits{HandshakeTimeout: time.Second}})
	for _, first := range []string{`{"t":"join"`, `{"t":"size","cols":80,"rows":24}`, `[1,2,3]`, `{"t":"join","cols":1e99}`} {
		tb := openTab(t, web)
		go tb.read()
		_ = tb.c.Write(context.Background(), websocket.MessageText, []byte(first))
		if ce := tb.closed(t); ce.Code != websocket.StatusUnsupportedData {
			t.Fatalf("first message %s: closed with %v", first, ce)
		}
	}
	tb := openTab(t, web) // says nothing: closed at the handshake timeout
	go tb.read()
	tb.closed(t)
	tb = joinTab(t, web, "ada", "", 80, 24)
	tb.waitFor(t, "lnfit · question")
	_ = tb.c.Write(context.Background(), websocket.MessageText, []byte(`{"t":"size","cols":`))
	if ce := tb.closed(t); ce.Code != websocket.StatusUnsupportedData || ce.Reason != "bad message" {
		t.Fatalf("bad JSON in a session: closed with %v", ce)
	}
	eventually(t, "the seat given back", func() bool { return c.sessions.Load() == 0 })
}

// A flood of keys and sizes from one tab: the sizes collapse to the last
// one, the keys are read at the dashboard's pace, and a second tab keeps
// getting frames meanwhile.
func TestWebFloodLeavesOthersServed(t *testing.T) {
	_, web := startWebClass(t, Config{})
	calm := joinTab(t, web, "calm", "", 80, 24)
	calm.waitFor(t, "lnfit · question")
	loud := joinTab(t, web, "loud", "", 100, 30)
	loud.waitFor(t, "lnfit · question")
	before := calm.frames.Load()
	for i := range 3000 {
		w := 40 + i%200
		if i == 2999 {
			w = 90 // the last size is the one drawn
		}
		loud.send(t, webMsg{T: "size", Cols: w, Rows: 25})
		loud.press("o")
	}
	loud.mu.Lock()
	loud.emu.Resize(90, 25)
	loud.mu.Unlock()
	eventually(t, "the flooding tab drawn at its last size", func() bool {
		scr := loud.screen()
		return strings.Contains(scr, "lnfit") && widest(scr) > 70 && widest(scr) <= 90
	})
	eventually(t, "the calm tab still getting frames", func() bool { return calm.frames.Load() > before+10 })
}

// A tab that joins and never reads its frames is ended once a frame waits
// past WriteTimeout; its seat is given back and another tab is served.
func TestWebNeverReadingTabIsClosed(t *testing.T) {
	c, web := startWebClass(t, Config{Limits: Limits{WriteTimeout: time.Second}})
	conn := rawSocket(t, web, 4<<10) // a small window: the server's writes block soon
	_, _ = conn.Write(maskedFrame(0x1, []byte(`{"t":"join","name":"mute","cols":320,"rows":100}`)))
	eventually(t, "the mute tab seated", func() bool { return c.sessions.Load() == 1 })
	other := joinTab(t, web, "other", "", 80, 24)
	other.waitFor(t, "lnfit · question")
	w := 320
	eventually(t, "the mute tab's session ended", func() bool { // each new size is a whole new frame: the buffers fill
		w = 639 - w
		_, _ = conn.Write(maskedFrame(0x1, []byte(fmt.Sprintf(`{"t":"size","cols":%d,"rows":100}`, w))))
		return strings.Contains(c.log.String(), "msg=disconnected user=mute")
	})
	eventually(t, "its seat given back", func() bool { return c.sessions.Load() == 1 })
	n := other.frames.Load()
	eventually(t, "the other tab still served", func() bool { return other.frames.Load() > n })
}

// A slowloris of half-sent requests holds at most HandshakesPerAddr
// connections from one address: the rest are closed at once, the ones held
// are closed at the header timeout, and then the page is served again.
func TestWebSlowlorisIsBounded(t *testing.T) {
	const per, n = 8, 50
	c, web := startWebClass(t, Config{Limits: Limits{HandshakesPerAddr: per, HandshakeTimeout: time.Hour}})
	slow := func(web string) net.Conn {
		conn, err := net.DialTimeout("tcp", web, backstop)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = conn.Close() })
		_, _ = conn.Write([]byte("GET / HTTP/1.1\r\nHost: " + web + "\r\nX-Slow: ")) // and never the rest
		return conn
	}
	var closed atomic.Int64
	var conns []net.Conn
	for range n {
		conn := slow(web)
		conns = append(conns, conn)
		go func() {
			_, _ = io.ReadAll(conn) // EOF, or a reset (the server closed it with our bytes unread)
			closed.Add(1)
		}()
	}
	eventually(t, fmt.Sprintf("%d of %d half-sent requests closed at once", n-per, n), func() bool { return closed.Load() == n-per })
	c.mu.Lock()
	d := c.webs[0]
	c.mu.Unlock()
	d.mu.Lock()
	held := len(d.conns)
	d.mu.Unlock()
	if held != per {
		t.Fatalf("%d half-sent requests held, want the %d one address may hold", held, per)
	}
	for _, conn := range conns {
		_ = conn.Close()
	}
	eventually(t, "the page served again", func() bool {
		resp, err := (&http.Client{Timeout: backstop}).Get("http://" + web + "/")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	})

	_, web2 := startWebClass(t, Config{Limits: Limits{HandshakeTimeout: time.Second}})
	conn := slow(web2)
	_ = conn.SetReadDeadline(time.Now().Add(backstop))
	if _, err := io.ReadAll(conn); errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatal("a half-sent request was not closed at the header timeout")
	}
}

// rawSocket is a WebSocket opened by hand: the upgrade written, the 101
// read, nothing else read after; rcvbuf is its socket's receive buffer.
func rawSocket(t *testing.T, web string, rcvbuf int) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", web, backstop)
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.(*net.TCPConn).SetReadBuffer(rcvbuf)
	t.Cleanup(func() { _ = conn.Close() })
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nOrigin: http://%s\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"+
		"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", socketPath, web, web)
	_ = conn.SetReadDeadline(time.Now().Add(backstop))
	resp, err := http.ReadResponse(bufio.NewReaderSize(conn, 64), nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("upgrade: %v %v", resp, err)
	}
	_ = conn.SetReadDeadline(time.Time{})
	return conn
}

// maskedFrame is one client frame (a client's frames are masked).
func maskedFrame(op byte, payload []byte) []byte {
	mask := [4]byte{1, 2, 3, 4}
	f := []byte{0x80 | op, 0x80 | byte(len(payload))} // payloads here are under 126 bytes
	f = append(f, mask[:]...)
	for i, b := range payload {
		f = append(f, b^mask[i%4])
	}
	return f
}
