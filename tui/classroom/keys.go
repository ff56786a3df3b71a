package classroom

import (
	"bytes"
	"fmt"
	"net/netip"
	"path"
	"strings"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"lnfit/engine"
)

// An authorized_keys file, read as strictly as OpenSSH reads it: each
// line's options are honoured (from=, expiry-time=, no-pty, restrict, pty
// and the no-…-forwarding ones, which this server never offers anyway) or
// the line is refused with its number; it is never half-applied.

// authorizedKey is one usable line.
type authorizedKey struct {
	key     gossh.PublicKey
	line    int
	from    []string  // from= patterns; none: any address
	expires time.Time // zero: never
	noPTY   bool
}

// keyFile is the usable keys of a file, and the lines that were skipped.
type keyFile struct {
	keys    []authorizedKey
	skipped []string // "line N: why"
}

const maxKeyFile = 1 << 20

func readAuthorizedKeys(file string, now time.Time) (*keyFile, error) {
	data, err := engine.ReadFileCapped(file, maxKeyFile)
	if err != nil {
		return nil, err
	}
	kf := parseAuthorizedKeys(data, now)
	if len(kf.keys) == 0 {
		why := "it has no key lines"
		if len(kf.skipped) > 0 {
			why = fmt.Sprintf("%d lines skipped: %s", len(kf.skipped), kf.skipped[0])
		}
		return kf, fmt.Errorf("%s has no usable key (%s)", engine.EscapeText(file), why)
	}
	return kf, nil
}

func parseAuthorizedKeys(data []byte, now time.Time) *keyFile {
	kf := &keyFile{}
	for i, line := range bytes.Split(data, []byte("\n")) {
		n := i + 1
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		// One line at a time: ParseAuthorizedKey would skip a bad line
		// silently and read the next.
		key, _, opts, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			kf.skipped = append(kf.skipped, fmt.Sprintf("line %d: not a public key (%v)", n, err))
			continue
		}
		ak := authorizedKey{key: key, line: n}
		if why := ak.applyOptions(opts); why != "" {
			kf.skipped = append(kf.skipped, fmt.Sprintf("line %d: %s", n, why))
			continue
		}
		if !ak.expires.IsZero() && now.After(ak.expires) {
			// Kept: the login is refused with the reason, as OpenSSH does.
			kf.skipped = append(kf.skipped, fmt.Sprintf("line %d: expired on %s (kept; it will be refused)", n, ak.expires.Format(time.DateTime)))
		}
		kf.keys = append(kf.keys, ak)
	}
	return kf
}

// applyOptions honours a line's options, or says why the line is refused.
func (ak *authorizedKey) applyOptions(opts []string) string {
	restricted, pty := false, false
	for _, o := range opts {
		name, value, hasValue := strings.Cut(o, "=")
		name = strings.ToLower(name)
		if hasValue {
			v, ok := unquote(value)
			if !ok {
				return fmt.Sprintf("option %s: a badly quoted value", engine.EscapeText(name))
			}
			value = v
		}
		switch {
		case name == "from" && hasValue:
			pats, err := parseFrom(value)
			if err != nil {
				return fmt.Sprintf("from=%q: %v", engine.EscapeText(value), err)
			}
			ak.from = pats
		case name == "expiry-time" && hasValue:
			t, err := parseExpiry(value)
			if err != nil {
				return fmt.Sprintf("expiry-time=%q: %v", engine.EscapeText(value), err)
			}
			ak.expires = t
		case name == "no-pty" && !hasValue:
			ak.noPTY = true
		case name == "pty" && !hasValue:
			pty = true
		case name == "restrict" && !hasValue:
			restricted = true
		case !hasValue && (name == "no-port-forwarding" || name == "no-agent-forwarding" || name == "no-x11-forwarding" || name == "no-user-rc"):
			// Honoured: this server forwards nothing and runs no rc.
		default:
			return fmt.Sprintf("option %s is not supported here (this server only shows the dashboard): line skipped", engine.EscapeText(o))
		}
	}
	if restricted && !pty {
		ak.noPTY = true
	}
	return ""
}

func unquote(v string) (string, bool) {
	if !strings.HasPrefix(v, `"`) {
		return v, !strings.ContainsAny(v, `"`)
	}
	if len(v) < 2 || !strings.HasSuffix(v, `"`) {
		return "", false
	}
	return strings.ReplaceAll(v[1:len(v)-1], `\"`, `"`), true
}

// parseFrom checks a from= pattern list: addresses with * and ?, CIDR
// blocks, each maybe negated with !.
func parseFrom(v string) ([]string, error) {
	var pats []string
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		bare := strings.TrimPrefix(p, "!")
		if bare == "" {
			return nil, fmt.Errorf("an empty pattern")
		}
		if strings.Contains(bare, "/") {
			if _, err := netip.ParsePrefix(bare); err != nil {
				return nil, fmt.Errorf("%q is not an address block", engine.EscapeText(bare))
			}
		} else if _, err := path.Match(bare, ""); err != nil {
			return nil, fmt.Errorf("%q is not a pattern", engine.EscapeText(bare))
		}
		pats = append(pats, p)
	}
	return pats, nil
}

// fromAllows is OpenSSH's rule: a negated match refuses, else any match
// admits, else refused. Patterns match the address only (OpenSSH's
// default, UseDNS no).
func fromAllows(pats []string, ip netip.Addr) bool {
	if len(pats) == 0 {
		return true
	}
	ip = ip.Unmap()
	allowed := false
	for _, p := range pats {
		neg := strings.HasPrefix(p, "!")
		bare := strings.TrimPrefix(p, "!")
		var m bool
		if strings.Contains(bare, "/") {
			pre, err := netip.ParsePrefix(bare)
			m = err == nil && pre.Contains(ip)
		} else {
			m, _ = path.Match(strings.ToLower(bare), ip.String())
		}
		if m && neg {
			return false
		}
		allowed = allowed || m
	}
	return allowed
}

// parseExpiry reads YYYYMMDD[HHMM[SS]], in local time, or UTC with a Z.
func parseExpiry(v string) (time.Time, error) {
	loc := time.Local
	if strings.HasSuffix(v, "Z") || strings.HasSuffix(v, "z") {
		loc, v = time.UTC, v[:len(v)-1]
	}
	layouts := map[int]string{8: "20060102", 12: "200601021504", 14: "20060102150405"}
	layout, ok := layouts[len(v)]
	if !ok {
		return time.Time{}, fmt.Errorf("not YYYYMMDD[HHMM[SS]][Z]")
	}
	t, err := time.ParseInLocation(layout, v, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("not a date (YYYYMMDD[HHMM[SS]][Z])")
	}
	return t, nil
}

// admits finds the file's verdict on key from ip at now: the line that
// admits it, or why none does.
func (kf *keyFile) admits(key gossh.PublicKey, ip netip.Addr, now time.Time) (*authorizedKey, string) {
	why := "not in the authorized keys"
	want := key.Marshal()
	for i := range kf.keys {
		ak := &kf.keys[i]
		if !bytes.Equal(ak.key.Marshal(), want) {
			continue
		}
		switch {
		case !ak.expires.IsZero() && now.After(ak.expires):
			why = fmt.Sprintf("line %d: expired on %s", ak.line, ak.expires.Format(time.DateTime))
		case !fromAllows(ak.from, ip):
			why = fmt.Sprintf("line %d: from=%s does not admit %s", ak.line, strings.Join(ak.from, ","), ip)
		default:
			return ak, ""
		}
	}
	return nil, why
}
