package webhook_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/kudos-app/kudos/internal/payload"
	"github.com/kudos-app/kudos/webhook"
)

func TestSignVerify(t *testing.T) {
	t.Parallel()
	secret := []byte("It's a Secret to Everybody")
	body := []byte("Hello, World!")
	// The example from GitHub's "Validating webhook deliveries" docs.
	const githubExample = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
	if got := webhook.Sign(secret, body); got != githubExample {
		t.Fatalf("Sign = %s; want GitHub's documented %s", got, githubExample)
	}
	good := webhook.Sign(secret, body)
	tampered := append([]byte(nil), body...)
	tampered[0] ^= 1

	tests := []struct {
		name    string
		secret  []byte
		body    []byte
		sig     string
		wantErr bool
	}{
		{"round trip", secret, body, good, false},
		{"round trip, empty body", secret, nil, webhook.Sign(secret, nil), false},
		{"upper-case hex", secret, body, "sha256=" + strings.ToUpper(strings.TrimPrefix(good, "sha256=")), false},
		{"tampered body", secret, tampered, good, true},
		{"extra byte in body", secret, append(append([]byte(nil), body...), '\n'), good, true},
		{"other secret", []byte("another secret"), body, good, true},
		{"truncated by one hex digit", secret, body, good[:len(good)-1], true},
		{"truncated by one byte", secret, body, good[:len(good)-2], true},
		{"one byte too long", secret, body, good + "00", true},
		{"empty", secret, body, "", true},
		{"prefix only", secret, body, "sha256=", true},
		{"no prefix", secret, body, strings.TrimPrefix(good, "sha256="), true},
		{"sha1 prefix", secret, body, "sha1=" + strings.TrimPrefix(good, "sha256="), true},
		{"upper-case prefix", secret, body, "SHA256=" + strings.TrimPrefix(good, "sha256="), true},
		{"non-hex", secret, body, "sha256=" + strings.Repeat("g", 64), true},
		{"surrounding space", secret, body, " " + good, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := webhook.Verify(tt.secret, tt.body, tt.sig)
			if (err != nil) != tt.wantErr {
				t.Errorf("Verify(%q) = %v; want error %v", tt.sig, err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), string(tt.secret)) {
				t.Errorf("Verify error %q reveals the secret", err)
			}
			// A Verifier answers the same, each time: its reused HMAC
			// state starts afresh for every body.
			v := webhook.NewVerifier(tt.secret)
			for range 3 {
				if verr := v.Verify(tt.body, tt.sig); (verr != nil) != tt.wantErr {
					t.Errorf("Verifier.Verify(%q) = %v; want error %v", tt.sig, verr, tt.wantErr)
				}
			}
		})
	}
}

// One Verifier serves concurrent deliveries, good and bad mixed, each
// judged on its own body.
func TestVerifierConcurrent(t *testing.T) {
	t.Parallel()
	secret := []byte("It's a Secret to Everybody")
	v := webhook.NewVerifier(secret)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 200 {
				body := []byte(strconv.Itoa(i*1000 + j))
				sig := webhook.Sign(secret, body)
				if j%3 == 0 {
					sig = webhook.Sign(secret, append(body, '!'))
				}
				if err := v.Verify(body, sig); (err != nil) != (j%3 == 0) {
					t.Errorf("body %s: Verify = %v; want error %v", body, err, j%3 == 0)
					return
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkVerify(b *testing.B) {
	body, err := payload.Raw("full/issue_comment.created")
	if err != nil {
		b.Fatal(err)
	}
	secret := []byte(testSecret)
	sig := webhook.Sign(secret, body)
	b.Run("func", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			if err := webhook.Verify(secret, body, sig); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Verifier", func(b *testing.B) {
		v := webhook.NewVerifier(secret)
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			if err := v.Verify(body, sig); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// FuzzVerify holds the function Verify and the Verifier, which share one
// check, to a reference written apart from it: a signature is good
// exactly when it is "sha256=" and the body's HMAC in hex, in either
// case. Neither panics, and a body's own signature is always accepted.
func FuzzVerify(f *testing.F) {
	secret := []byte("It's a Secret to Everybody")
	good := webhook.Sign(secret, []byte("Hello, World!"))
	for _, sig := range []string{good, "", "sha256=", good[:len(good)-1], good + "0", "sha256=" + strings.Repeat("g", 64), strings.ToUpper(good)} {
		f.Add([]byte("Hello, World!"), sig)
	}
	v := webhook.NewVerifier(secret)
	f.Fuzz(func(t *testing.T, body []byte, sig string) {
		hexSum, ok := strings.CutPrefix(sig, "sha256=")
		good := ok && strings.EqualFold(hexSum, strings.TrimPrefix(webhook.Sign(secret, body), "sha256="))
		if err := webhook.Verify(secret, body, sig); (err == nil) != good {
			t.Fatalf("Verify(%q) = %v; want good = %v", sig, err, good)
		}
		if err := v.Verify(body, sig); (err == nil) != good {
			t.Fatalf("Verifier.Verify(%q) = %v; want good = %v", sig, err, good)
		}
		if err := v.Verify(body, webhook.Sign(secret, body)); err != nil {
			t.Fatalf("the body's own signature: %v", err)
		}
	})
}
