package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
)

// SignatureHeader carries the HMAC-SHA256 of the body.
const SignatureHeader = "X-Hub-Signature-256"

var (
	errNoSignature  = errors.New("missing " + SignatureHeader)
	errBadSignature = errors.New("signature does not match the body")
)

// Sign returns the X-Hub-Signature-256 value GitHub sends for body.
func Sign(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks sig (an X-Hub-Signature-256 value) against body in
// constant time.
func Verify(secret, body []byte, sig string) error {
	if sig == "" {
		return errNoSignature
	}
	hexSum, ok := strings.CutPrefix(sig, "sha256=")
	if !ok {
		return errBadSignature
	}
	got, err := hex.DecodeString(hexSum)
	if err != nil || len(got) != sha256.Size {
		return errBadSignature
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return errBadSignature
	}
	return nil
}
