package engine

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

func TestTokenRoundTripGivesTheSameRun(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Init, cfg.Optimizer, cfg.LR, cfg.Batch, cfg.Hidden, cfg.XMin, cfg.Seed, cfg.Dropout = InitHe, OptRMSProp, 3e-4, 64, []int{20, 7}, 0.01, 12345678901234, 0.05
	s := Setup{Label: "he-momentum", Config: cfg, Lanes: []Lane{{"sgd", 0.01}, {"adam", 1e-4}, {"momentum", 0.05}}}
	tok := s.Token()
	if !strings.HasPrefix(tok, TokenPrefix) || strings.ContainsAny(tok, " +/=") {
		t.Fatalf("token %q is not shell- and URL-safe", tok)
	}
	got, err := ParseToken(tok)
	if err != nil {
		t.Fatal(err)
	}
	if wrapped, err := ParseToken(tok[:20] + "\n  " + tok[20:]); err != nil || wrapped.Token() != tok {
		t.Fatalf("a token copied from two wrapped lines: %v", err)
	}
	if got.Token() != tok || got.Label != s.Label || fmt.Sprint(got.Lanes) != "[{sgd 0.01} {adam 0.0001} {momentum 0.05}]" {
		t.Fatalf("round trip: %+v", got)
	}
	a, b := mustNew(t, cfg), mustNew(t, got.Config)
	a.Run(50)
	b.Run(50)
	if !sameFloats(a.net.Params, b.net.Params) {
		t.Fatal("the token's run differs from the original's")
	}
}

func TestMalformedTokensAreRejected(t *testing.T) {
	good := Setup{Label: "question", Config: DefaultConfig()}.Token()
	enc := func(s string) string { return TokenPrefix + base64.RawURLEncoding.EncodeToString([]byte(s)) }
	body, _ := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(good, TokenPrefix))
	cases := map[string]string{
		"":                         "must start with",
		"lnfit2-abc":               "must start with",
		TokenPrefix + "!!!":        "not base64url",
		good[:len(good)-5]:         "",
		enc("p=q"):                 "lacks",
		enc(string(body) + ";z=1"): "unknown field",
		enc(string(body) + ";s=2"): "twice",
		enc(strings.Replace(string(body), "lr=0.01", "lr=-1", 1)):        "lr -1: want a number > 0",
		enc(strings.Replace(string(body), "lr=0.01", "lr=abc", 1)):       "lr abc: want a number",
		enc(strings.Replace(string(body), "b=50", "b=0", 1)):             "batch",
		enc(strings.Replace(string(body), "o=sgd", "o=lion", 1)):         "optimizer lion: want one of sgd",
		enc(strings.Replace(string(body), "h=50,10", "h=50,0", 1)):       "hidden 50,0: want 1 to 16",
		enc(string(body) + ";lanes=sgd"):                                 "2 to 4",
		enc(string(body) + ";lanes=sgd,adam,sgd,adam,sgd"):               "2 to 4",
		enc(strings.Replace(string(body), "p=question", "p=\x1b[2J", 1)): "label has a control character",
		TokenPrefix + strings.Repeat("A", 2000):                          "at most",
	}
	for tok, want := range cases {
		_, err := ParseToken(tok)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("token %.40q: error %v, want %q", tok, err, want)
		}
	}
}

func FuzzParseToken(f *testing.F) {
	f.Add(Setup{Label: "question", Config: DefaultConfig()}.Token())
	f.Add(Setup{Label: "answer", Config: DefaultConfig(), Lanes: []Lane{{"sgd", 0.01}, {"adam", 0.001}}}.Token())
	f.Add("lnfit1-")
	f.Add("lnfit1-cD1xOw")
	f.Fuzz(func(t *testing.T, tok string) {
		s, err := ParseToken(tok)
		if err != nil {
			return
		}
		if err := s.Config.Validate(); err != nil {
			t.Fatalf("accepted an invalid config: %v", err)
		}
		again, err := ParseToken(s.Token())
		if err != nil || again.Token() != s.Token() {
			t.Fatalf("re-encoding %q is not stable: %v", tok, err)
		}
	})
}
