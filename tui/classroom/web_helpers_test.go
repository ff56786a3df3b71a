package classroom

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/coder/websocket"
)

// The browser door's tests: the class served on two listeners of its own on
// 127.0.0.1 (SSH and web), and tabs that speak the page's protocol with
// github.com/coder/websocket, their screens read through a terminal
// emulator.

// startWebClass serves cfg over SSH and over the web until the test ends;
// c.web is the web address.
func startWebClass(t testing.TB, cfg Config) (*class, string) {
	t.Helper()
	c := startClass(t, cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.ServeWeb(ln) }()
	t.Cleanup(func() {
		_ = c.Close()
		select {
		case err := <-done:
			if err != ErrClosed {
				t.Errorf("ServeWeb returned %v, not ErrClosed", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("ServeWeb did not return after Close")
		}
	})
	return c, ln.Addr().String()
}

// tab is a browser tab as the page is one: a socket, a join, a screen.
type tab struct {
	c      *websocket.Conn
	mu     sync.Mutex
	emu    *vt.Emulator
	bytes  atomic.Int64
	frames atomic.Int64 // binary messages received
	ended  chan websocket.CloseError
}

type tabEmu struct{ t *tab }

func (w tabEmu) Write(p []byte) (n int, err error) {
	w.t.mu.Lock()
	defer w.t.mu.Unlock()
	defer func() {
		if r := recover(); r != nil { // x/vt v0.1.0 can index past its screen after a resize
			n, err = len(p), nil
		}
	}()
	return w.t.emu.Write(p)
}

// openTab opens the socket (Origin: the page's own) without joining.
func openTab(t testing.TB, web string) *tab {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), backstop)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws://"+web+socketPath, &websocket.DialOptions{
		HTTPHeader: http.Header{"Origin": {"http://" + web}}})
	if err != nil {
		t.Fatalf("dial %s: %v", web, err)
	}
	c.SetReadLimit(1 << 20)
	t.Cleanup(func() { _ = c.CloseNow() })
	return &tab{c: c, ended: make(chan websocket.CloseError, 1)}
}

// joinTab opens a tab that joins as name with code at w×h, and reads its
// frames into a w×h screen.
func joinTab(t testing.TB, web, name, code string, w, h int) *tab {
	t.Helper()
	tb := openTab(t, web)
	tb.emu = vt.NewEmulator(w, h)
	tb.send(t, webMsg{T: "join", Name: name, Code: code, Cols: w, Rows: h})
	go tb.read()
	go func() { // the terminal's answers (to queries) go back as keys, as xterm.js's onData sends them
		buf := make([]byte, 256)
		for {
			n, err := tb.emu.Read(buf)
			if err != nil {
				return
			}
			if tb.c.Write(context.Background(), websocket.MessageBinary, buf[:n]) != nil {
				return
			}
		}
	}()
	return tb
}

func (tb *tab) read() {
	for {
		typ, b, err := tb.c.Read(context.Background())
		if err != nil {
			var ce websocket.CloseError
			if !errors.As(err, &ce) {
				ce.Code = -1 // no close frame: the connection was cut
			}
			tb.ended <- ce // (the emulator is left open: x/vt's Close races its Read)
			return
		}
		if typ == websocket.MessageBinary {
			tb.frames.Add(1)
			tb.bytes.Add(int64(len(b)))
			if tb.emu != nil {
				_, _ = tabEmu{tb}.Write(b)
			}
		}
	}
}

func (tb *tab) send(t testing.TB, m webMsg) {
	t.Helper()
	b, _ := json.Marshal(m)
	if err := tb.c.Write(context.Background(), websocket.MessageText, b); err != nil {
		t.Fatalf("send %s: %v", b, err)
	}
}

func (tb *tab) press(k string) {
	_ = tb.c.Write(context.Background(), websocket.MessageBinary, []byte(k))
}

func (tb *tab) resize(t testing.TB, w, h int) {
	tb.mu.Lock()
	tb.emu.Resize(w, h)
	tb.mu.Unlock()
	tb.send(t, webMsg{T: "size", Cols: w, Rows: h})
}

func (tb *tab) screen() string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return tb.emu.String()
}

func (tb *tab) waitFor(t testing.TB, what string) string {
	t.Helper()
	deadline := time.Now().Add(backstop)
	for time.Now().Before(deadline) {
		if scr := tb.screen(); strings.Contains(scr, what) {
			return scr
		}
		time.Sleep(30 * time.Millisecond)
	}
	t.Fatalf("no %q on the tab after %v:\n%s", what, backstop, tb.screen())
	return ""
}

// closed waits for the socket's end and returns its close frame.
func (tb *tab) closed(t testing.TB) websocket.CloseError {
	t.Helper()
	select {
	case ce := <-tb.ended:
		return ce
	case <-time.After(backstop):
		t.Fatalf("the socket was not closed after %v", backstop)
	}
	return websocket.CloseError{}
}

// get fetches path from the web door with the given headers.
func get(t testing.TB, web, path string, hdr http.Header) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+web+path, nil)
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := (&http.Client{Timeout: backstop}).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}
