package webhook

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"strings"
	"sync"
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
	return verify(&keyedMAC{mac: hmac.New(sha256.New, secret)}, body, sig)
}

// A Verifier checks the signatures made with one secret. It keeps keyed
// HMAC states for reuse, so a delivery neither derives the key's pads
// again nor allocates.
type Verifier struct {
	macs sync.Pool
}

// keyedMAC is a keyed HMAC-SHA256 with the buffer its sum is written to.
type keyedMAC struct {
	mac hash.Hash
	sum [sha256.Size]byte
}

// NewVerifier returns a Verifier for secret.
func NewVerifier(secret []byte) *Verifier {
	key := bytes.Clone(secret)
	v := &Verifier{}
	v.macs.New = func() any { return &keyedMAC{mac: hmac.New(sha256.New, key)} }
	return v
}

// Verify checks sig against body in constant time, as the function
// Verify does with the Verifier's secret.
func (v *Verifier) Verify(body []byte, sig string) error {
	k := v.macs.Get().(*keyedMAC)
	defer v.macs.Put(k)
	k.mac.Reset()
	return verify(k, body, sig)
}

// verify checks sig against body with k, a keyed HMAC-SHA256 at its
// initial state.
func verify(k *keyedMAC, body []byte, sig string) error {
	if sig == "" {
		return errNoSignature
	}
	hexSum, ok := strings.CutPrefix(sig, "sha256=")
	if !ok || len(hexSum) != 2*sha256.Size {
		return errBadSignature
	}
	var (
		hx  [2 * sha256.Size]byte
		got [sha256.Size]byte
	)
	copy(hx[:], hexSum)
	if _, err := hex.Decode(got[:], hx[:]); err != nil {
		return errBadSignature
	}
	k.mac.Write(body)
	if !hmac.Equal(got[:], k.mac.Sum(k.sum[:0])) {
		return errBadSignature
	}
	return nil
}
