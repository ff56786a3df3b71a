package classroom

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"embed"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// The browser door (`lnfit --web ADDR`): one page that runs xterm.js over a
// WebSocket, each tab a session like an SSH session (web_session.go). The
// HTTP side serves that page, its assets and the socket, nothing else, and
// bounds what a client can make it hold: headers and requests have
// deadlines, connections not yet upgraded are counted per address and in
// all, and a socket is admitted by the same limiter as an SSH connection.

//go:embed webassets/index.html webassets/lnfit.css webassets/lnfit.js webassets/xterm.js webassets/xterm.css webassets/addon-fit.js
var webFiles embed.FS

// socketPath is the WebSocket's path.
const socketPath = "/ws"

// webSendBuffer is a connection's kernel send buffer: a few whole frames at
// 320×100 (so a tab that does not read is found within WriteTimeout of its
// last frame taken), instead of the kernel's autotuned megabytes.
const webSendBuffer = 256 << 10

type asset struct {
	body, gz []byte
	ctype    string
}

// webDoor is one --web listener's HTTP server.
type webDoor struct {
	s      *Server
	http   *http.Server
	assets map[string]asset
	ctx    context.Context // done when the class closes: sockets still at the join form end
	cancel context.CancelFunc

	mu      sync.Mutex
	perAddr map[string]int      // connections not yet upgraded, by address
	conns   map[net.Conn]string // and their address
}

func (s *Server) newWebDoor() (*webDoor, error) {
	d := &webDoor{s: s, assets: map[string]asset{}, perAddr: map[string]int{}, conns: map[net.Conn]string{}}
	d.ctx, d.cancel = context.WithCancel(context.Background())
	// The page's words say what this class is: a code or none, the
	// teacher's run or one's own.
	code := ""
	if s.cfg.ClassCode != "" {
		code = "required"
	}
	what, who := "A run of your own, in this tab.", "your teacher's log shows it"
	if s.hub != nil {
		what, who = "Your teacher's run, live in this tab; f makes a copy of your own.", "your teacher's class list shows it"
	}
	fill := strings.NewReplacer("{{CODE}}", code, "{{WHAT}}", what, "{{WHO}}", who)
	types := map[string]string{".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
	for name, path := range map[string]string{"/": "index.html", "/lnfit.css": "lnfit.css", "/lnfit.js": "lnfit.js",
		"/xterm.js": "xterm.js", "/xterm.css": "xterm.css", "/addon-fit.js": "addon-fit.js"} {
		b, err := webFiles.ReadFile("webassets/" + path)
		if err != nil {
			return nil, err
		}
		if path == "index.html" {
			b = []byte(fill.Replace(string(b)))
		}
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		_, _ = zw.Write(b)
		_ = zw.Close()
		d.assets[name] = asset{body: b, gz: gz.Bytes(), ctype: types[path[strings.LastIndexByte(path, '.'):]]}
	}
	d.http = &http.Server{Handler: d, ReadHeaderTimeout: s.cfg.Limits.HandshakeTimeout, ReadTimeout: 20 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 30 * time.Second, MaxHeaderBytes: 8 << 10,
		ConnState: d.connState, ErrorLog: slog.NewLogLogger(s.log.With("source", "http").Handler(), slog.LevelWarn)}
	return d, nil
}

// ServeWeb serves the browser door on l until Close; it returns ErrClosed
// then. The SSH door (Serve) may serve beside it, or not at all.
func (s *Server) ServeWeb(l net.Listener) error {
	if s.keys != nil {
		return errors.New("a browser has no SSH key: the browser door goes with --class-code or an open class, not --authorized-keys")
	}
	d, err := s.newWebDoor()
	if err != nil {
		return err
	}
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		_ = l.Close()
		return ErrClosed
	}
	s.webs = append(s.webs, d)
	s.mu.Unlock()
	if err := d.http.Serve(l); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return ErrClosed
}

// close ends the door: the listener, idle connections, and every socket
// still at its join form (dashboards are ended by Server.Close).
func (d *webDoor) close() {
	d.cancel()
	_ = d.http.Close()
}

// connState counts the connections not yet upgraded to a socket, per
// address and in all, and closes one past either bound: a slowloris of
// half-sent requests holds at most that many, each for a header timeout.
func (d *webDoor) connState(c net.Conn, state http.ConnState) {
	lim := d.s.cfg.Limits
	d.mu.Lock()
	defer d.mu.Unlock()
	switch state {
	case http.StateNew:
		key := addrKey(c.RemoteAddr().String())
		if d.perAddr[key] >= lim.HandshakesPerAddr || len(d.conns) >= lim.Handshakes {
			d.s.refusals.Add(1)
			d.s.logRefusal(key, "too many web connections at once")
			_ = c.Close()
			return
		}
		d.perAddr[key]++
		d.conns[c] = key
		if tc, ok := c.(*net.TCPConn); ok { // a tab that stops reading holds this much of the kernel's memory, not megabytes
			_ = tc.SetWriteBuffer(webSendBuffer)
		}
	case http.StateHijacked, http.StateClosed:
		key, ok := d.conns[c]
		if !ok {
			return
		}
		delete(d.conns, c)
		if d.perAddr[key]--; d.perAddr[key] <= 0 {
			delete(d.perAddr, key)
		}
	}
}

// ServeHTTP serves the page, its assets and the socket; everything else is
// 404.
func (d *webDoor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	if r.URL.Path == socketPath {
		d.socket(w, r)
		return
	}
	a, ok := d.assets[r.URL.Path]
	if !ok || r.URL.RawQuery != "" {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if r.ContentLength != 0 || len(r.TransferEncoding) > 0 { // a GET has no body: nothing is read, and the connection ends
		h.Set("Connection", "close")
	}
	h.Set("Content-Type", a.ctype)
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept-Encoding")
	body := a.body
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// memoryHostKey gives a server without a host key path one in memory: the
// browser door alone needs none, and wish would write ./id_ed25519.
func memoryHostKey(srv *ssh.Server) error {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		return err
	}
	srv.AddHostKey(signer)
	return nil
}
