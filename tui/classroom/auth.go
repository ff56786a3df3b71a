package classroom

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"lnfit/engine"
	"lnfit/tui"
)

// Logins: each connection's key exchange, then its login, each with a
// deadline; every login, failed or not, logged with who, from where and
// how; wrong class codes slowed down and counted per address.

// serverConfig is a connection's SSH configuration.
func (s *Server) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	st := stateOf(ctx)
	return &gossh.ServerConfig{
		MaxAuthTries: 6, // OpenSSH's: a student's agent may offer several keys
		PreAuthConnCallback: func(gossh.ServerPreAuthConn) {
			if st != nil { // the key exchange is done: now the login's deadline
				st.conn.setPhase(time.Now().Add(s.cfg.Limits.AuthTimeout))
			}
		},
		AuthLogCallback: func(conn gossh.ConnMetadata, method string, err error) { s.authLog(st, conn, method, err) },
	}
}

func (s *Server) authLog(st *connState, conn gossh.ConnMetadata, method string, err error) {
	if st == nil {
		return
	}
	st.mu.Lock()
	key := st.keyInfo
	st.mu.Unlock()
	attrs := []any{"user", conn.User(), "from", conn.RemoteAddr().String(), "method", method}
	if key != "" {
		attrs = append(attrs, "detail", key)
	}
	if err == nil {
		s.logins.Add(1)
		s.log.Info("login", attrs...)
		st.endHandshake()
		st.conn.setPhase(time.Now().Add(s.cfg.Limits.SessionWait)) // logged in: now a dashboard, soon
		return
	}
	if method == "none" && (s.keys != nil || s.cfg.ClassCode != "") {
		return // every client asks first; it is not an attempt
	}
	s.failures.Add(1)
	why := err.Error()
	var pe *gossh.PartialSuccessError
	if errors.As(err, &pe) {
		why = "partial"
	}
	s.log.Warn("login refused", append(attrs, "why", why)...)
}

// publicKey admits a key its authorized_keys line admits from this
// address, now.
func (s *Server) publicKey(ctx ssh.Context, key ssh.PublicKey) bool {
	st := stateOf(ctx)
	ip := remoteIP(ctx)
	ak, why := s.keys.admits(key, ip, time.Now())
	if st != nil {
		st.mu.Lock()
		st.keyInfo = gossh.FingerprintSHA256(key)
		if ak == nil {
			st.keyInfo += " (" + why + ")"
		} else {
			st.keyInfo += fmt.Sprintf(" (line %d)", ak.line)
			st.noPTY = ak.noPTY
		}
		st.mu.Unlock()
	}
	return ak != nil
}

// classCode asks for the class code. A wrong one costs a second, and an
// address that has run out of tries is not even asked until it has waited.
func (s *Server) classCode(ctx ssh.Context, ask gossh.KeyboardInteractiveChallenge) bool {
	key := addrKey(ctx.RemoteAddr().String())
	if !s.limiter.mayTry(key, time.Now()) {
		s.setKeyInfo(ctx, "locked out: too many wrong codes from this address")
		return false
	}
	instruction := "lnfit classroom"
	if wrong, _ := ctx.Value(wrongCode{}).(bool); wrong { // the client asks again: say why
		instruction = "wrong class code: try again (the teacher has it on the board)"
	}
	answers, err := ask("", instruction, []string{"class code: "}, []bool{true})
	if err == nil && len(answers) == 1 && subtle.ConstantTimeCompare([]byte(answers[0]), []byte(s.cfg.ClassCode)) == 1 {
		s.setKeyInfo(ctx, "")
		s.askName(ctx, ask)
		return true
	}
	s.setKeyInfo(ctx, "wrong code")
	ctx.SetValue(wrongCode{}, true)
	s.wrongCodeCosts(ctx, key)
	return false
}

// wrongCodeCosts counts a wrong class code against the address (both doors
// share the count) and makes it cost FailDelay, unless ctx ends first.
func (s *Server) wrongCodeCosts(ctx context.Context, key string) {
	left, total := s.limiter.failed(key, time.Now())
	if !left {
		s.log.Warn("address locked out", "from", key, "wrong_codes", total)
	}
	t := time.NewTimer(s.cfg.Limits.FailDelay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// wrongCode is the context key that says this connection gave a wrong
// class code: the next prompt says so.
type wrongCode struct{}

// typedName is the context key of the name a student typed after the
// class code (the class room shows it instead of the SSH user name).
type typedName struct{}

// askName asks a student who gave the right code for the name the teacher
// sees; enter (or a client that cannot answer) keeps the SSH user name.
func (s *Server) askName(ctx ssh.Context, ask gossh.KeyboardInteractiveChallenge) {
	user := tui.SeatName(engine.EscapeText(ctx.User()))
	answers, err := ask("", "", []string{"your name (enter keeps " + user + "): "}, []bool{true})
	if err != nil || len(answers) != 1 {
		return
	}
	if name := tui.SeatName(answers[0]); name != "" && name != user {
		ctx.SetValue(typedName{}, name)
		s.setKeyInfo(ctx, "name "+engine.QuoteValue(name))
	}
}

func (s *Server) setKeyInfo(ctx ssh.Context, info string) {
	if st := stateOf(ctx); st != nil {
		st.mu.Lock()
		st.keyInfo = info
		st.mu.Unlock()
	}
}

func remoteIP(ctx ssh.Context) netip.Addr {
	ap, err := netip.ParseAddrPort(ctx.RemoteAddr().String())
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr()
}

// forward is the default slog handler while a classroom runs: the SSH
// library's warnings and errors go to the classroom's log.
type forward struct{ attrs []slog.Attr }

func (forward) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

func (f forward) Handle(ctx context.Context, r slog.Record) error {
	l := libLog.Load()
	if l == nil {
		return nil
	}
	r.AddAttrs(f.attrs...)
	return l.Handler().Handle(ctx, r)
}

func (f forward) WithAttrs(as []slog.Attr) slog.Handler {
	return forward{attrs: append(append([]slog.Attr(nil), f.attrs...), as...)}
}

func (f forward) WithGroup(string) slog.Handler { return f }
