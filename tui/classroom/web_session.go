package classroom

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/coder/websocket"
)

// One browser tab's session: its socket admitted by the limiter, its join
// (name, class code, size) within the handshake timeout, a seat counted with
// the SSH sessions, then the same dashboard as over SSH (runDashboard), its
// keys read from binary messages and its frames written as binary
// messages.

const (
	webReadLimit = 8 << 10 // one message: the page sends keys (and pastes) in pieces of 4 kB
	webNameRunes = 24
)

// Close codes the page reads (4000–4999 are the application's own).
const (
	closeRefused   websocket.StatusCode = 4000 // no dashboard: the reason is the close's
	closeWrongCode websocket.StatusCode = 4001 // the page asks for the code again
)

// webMsg is a text message: {"t":"join","name":…,"code":…,"cols":…,"rows":…}
// first, then {"t":"size","cols":…,"rows":…} when the tab's size changes.
type webMsg struct {
	T    string `json:"t"`
	Name string `json:"name"`
	Code string `json:"code"`
	Cols int    `json:"cols"`
	Rows int    `json:"rows"`
}

// webEnv is a tab's terminal: xterm.js, which draws 24-bit colour.
var webEnv = []string{"TERM=xterm-256color", "COLORTERM=truecolor"}

func (d *webDoor) socket(w http.ResponseWriter, r *http.Request) {
	s := d.s
	from := r.RemoteAddr
	key := addrKey(from)
	e, why := s.limiter.admit(key, time.Now())
	if e == nil {
		s.refusals.Add(1)
		s.logRefusal(key, why)
		http.Error(w, why, http.StatusTooManyRequests)
		return
	}
	released := false
	release := func() {
		if !released {
			released = true
			s.limiter.release(e)
		}
	}
	defer release()
	rc := http.NewResponseController(w) // the socket's deadlines are its own from here
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		s.refusals.Add(1)
		s.logRefusal(key, "web socket: "+err.Error()) // at most a line a second, as for SSH
		return                                        // Accept answered (403 for another site's page)
	}
	defer c.CloseNow()
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("web session panicked: closed", "from", from, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		}
	}()
	c.SetReadLimit(webReadLimit)
	ctx, cancel := context.WithCancel(d.ctx)
	defer cancel()

	jctx, jcancel := context.WithTimeout(ctx, s.cfg.Limits.HandshakeTimeout)
	typ, b, err := c.Read(jctx)
	jcancel()
	if err != nil {
		return
	}
	var j webMsg
	if typ != websocket.MessageText || json.Unmarshal(b, &j) != nil || j.T != "join" {
		_ = c.Close(websocket.StatusUnsupportedData, "the first message is the join")
		return
	}
	name := webName(j.Name)
	if s.cfg.ClassCode != "" && subtle.ConstantTimeCompare([]byte(j.Code), []byte(s.cfg.ClassCode)) != 1 {
		s.wrongWebCode(ctx, key, from, name)
		_ = c.Close(closeWrongCode, "wrong class code")
		return
	}
	s.logins.Add(1)
	s.log.Info("login", "user", name, "from", from, "method", "web")
	release()

	leave, full := s.takeSeat()
	if full != "" {
		_ = c.Close(closeRefused, full)
		return
	}
	defer leave()
	start := time.Now()
	s.log.Info("connected", "user", name, "from", from, "door", "web", "sessions", s.sessions.Load(), "goroutines", runtime.NumGoroutine())
	pr, pw := io.Pipe()
	win := newWindowSlot()
	go s.webInput(ctx, cancel, c, pw, win)
	refused := ""
	why = s.runDashboard(door{ctx: ctx, user: name, from: from, in: pr, out: &webOut{c: c, ctx: ctx, cancel: cancel, timeout: s.cfg.Limits.WriteTimeout},
		w: j.Cols, h: j.Rows, env: webEnv, win: win, refuse: func(why string) { refused = why }})
	_ = pr.Close()
	s.log.Info("disconnected", "user", name, "from", from, "door", "web", "after", time.Since(start).Round(time.Second),
		"sessions", s.sessions.Load()-1, "goroutines", runtime.NumGoroutine())
	if refused != "" {
		_ = c.Close(closeRefused, closeReason(refused))
		return
	}
	if why == "" {
		why = "the session ended"
	}
	_ = c.Close(websocket.StatusNormalClosure, closeReason(why))
}

// wrongWebCode counts a wrong class code against the address and makes it
// cost FailDelay, as over SSH.
func (s *Server) wrongWebCode(ctx context.Context, key, from, name string) {
	s.failures.Add(1)
	s.log.Warn("login refused", "user", name, "from", from, "method", "web", "why", "wrong code")
	s.wrongCodeCosts(ctx, key)
}

// webInput reads the tab's messages for the session's life: keys into the
// dashboard's input, sizes into the window slot (the latest wins). A bad
// message or a lost socket ends the session.
func (s *Server) webInput(ctx context.Context, cancel context.CancelFunc, c *websocket.Conn, keys *io.PipeWriter, win *windowSlot) {
	defer cancel()
	defer keys.Close()
	for {
		typ, b, err := c.Read(ctx)
		if err != nil {
			return
		}
		if typ == websocket.MessageBinary {
			if _, err := keys.Write(b); err != nil {
				return
			}
			continue
		}
		var m webMsg
		if json.Unmarshal(b, &m) != nil || m.T != "size" {
			_ = c.Close(websocket.StatusUnsupportedData, "bad message")
			return
		}
		win.set(s.cfg.Limits.clamp(m.Cols, m.Rows))
	}
}

// webOut writes the dashboard's frames as binary messages; a tab that does
// not take one within Limits.WriteTimeout ends its session. Like the SSH
// library's emulated terminal it turns \n into \r\n: Bubble Tea draws for a
// terminal that does (its input is no TTY), and xterm.js does not.
type webOut struct {
	c       *websocket.Conn
	ctx     context.Context
	cancel  context.CancelFunc
	timeout time.Duration
	buf     []byte // reused: sessionOut writes one at a time
}

func (o *webOut) Write(p []byte) (int, error) {
	ctx, cancel := context.WithTimeout(o.ctx, o.timeout)
	defer cancel()
	n, msg := len(p), p
	if bytes.IndexByte(p, '\n') >= 0 {
		o.buf = o.buf[:0]
		for len(p) > 0 {
			i := bytes.IndexByte(p, '\n')
			if i < 0 {
				o.buf = append(o.buf, p...)
				break
			}
			o.buf = append(append(o.buf, p[:i]...), '\r', '\n')
			p = p[i+1:]
		}
		msg = o.buf
		if cap(o.buf) > 1<<20 { // a huge frame once is not held for the session's life
			o.buf = nil
		}
	}
	if err := o.c.Write(ctx, websocket.MessageBinary, msg); err != nil {
		o.cancel()
		return 0, err
	}
	return n, nil
}

// webName is the name a student typed, as the class room shows it: printable,
// at most webNameRunes, "browser" when none.
func webName(typed string) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.TrimSpace(typed) {
		if n == webNameRunes {
			break
		}
		if !unicode.IsPrint(r) {
			r = '?'
		}
		b.WriteRune(r)
		n++
	}
	if b.Len() == 0 {
		return "browser"
	}
	return b.String()
}

// closeReason fits why into a close frame (123 bytes), on a rune boundary.
func closeReason(why string) string {
	why = strings.TrimPrefix(why, "lnfit: ")
	for len(why) > 123 {
		_, n := utf8.DecodeLastRuneInString(why)
		why = why[:len(why)-n]
	}
	return why
}
