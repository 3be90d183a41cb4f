package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kudos-app/kudos/recognizer"
)

// A ledger entry is one recognizer.Contribution, written in a compact
// binary form read on every comment that may hold a command. Version 1:
//
//	version  byte (1)
//	flags    byte: the booleans, one bit each (entryBot…)
//	ID       varint
//	At       varint Unix seconds, uvarint nanoseconds (read back as UTC)
//	Thread   varint
//	BodyLen  varint
//	Kind, Login, HTMLURL, State, Subject, SHA: each a string
//	Mentions, Thanked: each a uvarint count, then that many strings
//
// A string is its uvarint length, then its bytes. Entries written before
// the codec are JSON objects, told apart by their first byte '{'. Every
// entry has exactly one encoding: decoding rejects overlong varints,
// unknown flags and trailing bytes, so re-encoding an entry that decoded
// gives back the same bytes.

// entryVersion is the first byte of a version 1 entry; never '{'.
const entryVersion = 1

// Flag bits of an entry.
const (
	entryBot = 1 << iota
	entrySuggestion
	entryAck
	entryQuestion
	entryNegative
	entrySelfFix
	entryMeToo

	entryFlags = entryMeToo<<1 - 1
)

// The range of At an entry holds: the years JSON could write, 0 to 9999.
var (
	entryMinAt = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	entryMaxAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC).Unix() - 1
)

var (
	errEntryShort   = errors.New("ledger entry truncated")
	errEntryInvalid = errors.New("ledger entry invalid")
)

// appendEntry appends the encoding of c to b. It fails, like JSON did,
// only for a time outside the years 0 to 9999.
func appendEntry(b []byte, c recognizer.Contribution) ([]byte, error) {
	sec := c.At.Unix()
	if sec < entryMinAt || sec > entryMaxAt {
		return b, fmt.Errorf("encode contribution %s: time %v outside the years 0 to 9999", c.Key(), c.At)
	}
	b = append(b, entryVersion, entryFlagsOf(c))
	b = binary.AppendVarint(b, c.ID)
	b = binary.AppendVarint(b, sec)
	b = binary.AppendUvarint(b, uint64(c.At.Nanosecond()))
	b = binary.AppendVarint(b, c.Thread)
	b = binary.AppendVarint(b, int64(c.BodyLen))
	for _, s := range [...]string{string(c.Kind), c.Login, c.HTMLURL, c.State, c.Subject, c.SHA} {
		b = appendEntryString(b, s)
	}
	b = appendEntryList(b, c.Text.Mentions)
	return appendEntryList(b, c.Text.Thanked), nil
}

// entryFlagsOf gathers c's booleans into a flag byte.
func entryFlagsOf(c recognizer.Contribution) byte {
	var f byte
	for _, s := range [...]struct {
		set bool
		bit byte
	}{
		{c.Bot, entryBot}, {c.Suggestion, entrySuggestion}, {c.Text.Ack, entryAck},
		{c.Text.Question, entryQuestion}, {c.Text.Negative, entryNegative},
		{c.Text.SelfFix, entrySelfFix}, {c.Text.MeToo, entryMeToo},
	} {
		if s.set {
			f |= s.bit
		}
	}
	return f
}

func appendEntryString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendEntryList(b []byte, l []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(l)))
	for _, s := range l {
		b = appendEntryString(b, s)
	}
	return b
}

// decodeEntry reads one ledger entry: the compact form, or the JSON one
// written before it.
func decodeEntry(v string) (recognizer.Contribution, error) {
	if v != "" && v[0] == '{' {
		var c recognizer.Contribution
		err := json.Unmarshal([]byte(v), &c)
		return c, err
	}
	return decodeCompactEntry(v)
}

// decodeCompactEntry reads a version 1 entry. Its strings are slices of
// v, so the only allocation is the one backing Mentions and Thanked. An
// empty list reads as nil, as it did from JSON.
func decodeCompactEntry(v string) (recognizer.Contribution, error) {
	var c recognizer.Contribution
	if v == "" {
		return c, errEntryShort
	}
	if v[0] != entryVersion {
		return c, fmt.Errorf("%w: unknown version %d", errEntryInvalid, v[0])
	}
	r := entryReader{s: v, off: 1}
	flags := r.byte()
	if flags&^entryFlags != 0 {
		return c, fmt.Errorf("%w: unknown flags %#x", errEntryInvalid, flags)
	}
	c.Bot, c.Suggestion = flags&entryBot != 0, flags&entrySuggestion != 0
	c.Text.Ack, c.Text.Question = flags&entryAck != 0, flags&entryQuestion != 0
	c.Text.Negative, c.Text.SelfFix = flags&entryNegative != 0, flags&entrySelfFix != 0
	c.Text.MeToo = flags&entryMeToo != 0
	c.ID = r.varint()
	sec, nsec := r.varint(), r.uvarint()
	if r.err == nil && (sec < entryMinAt || sec > entryMaxAt || nsec >= uint64(time.Second)) {
		r.fail(errEntryInvalid)
	}
	c.At = time.Unix(sec, int64(nsec)).UTC()
	c.Thread = r.varint()
	c.BodyLen = r.int()
	c.Kind = recognizer.ContributionKind(r.string())
	c.Login, c.HTMLURL, c.State = r.string(), r.string(), r.string()
	c.Subject, c.SHA = r.string(), r.string()
	c.Text.Mentions, c.Text.Thanked = r.lists()
	if r.err == nil && r.off != len(v) {
		r.fail(errEntryInvalid)
	}
	if r.err != nil {
		return recognizer.Contribution{}, fmt.Errorf("%w at byte %d", r.err, r.off)
	}
	return c, nil
}

// entryReader reads an entry's fields from a string. After the first
// error it reads zeros and keeps that error.
type entryReader struct {
	s   string
	off int
	err error
}

func (r *entryReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *entryReader) byte() byte {
	if r.err != nil || r.off >= len(r.s) {
		r.fail(errEntryShort)
		return 0
	}
	r.off++
	return r.s[r.off-1]
}

// uvarint reads an unsigned varint, as binary.Uvarint does, from a string
// rather than a byte slice; it rejects an overlong one.
func (r *entryReader) uvarint() uint64 {
	var x uint64
	for i, shift := 0, uint(0); i < binary.MaxVarintLen64; i, shift = i+1, shift+7 {
		b := r.byte()
		if r.err != nil {
			return 0
		}
		if b < 0x80 {
			if i == binary.MaxVarintLen64-1 && b > 1 || i > 0 && b == 0 {
				r.fail(errEntryInvalid)
				return 0
			}
			return x | uint64(b)<<shift
		}
		x |= uint64(b&0x7f) << shift
	}
	r.fail(errEntryInvalid)
	return 0
}

// varint reads a zig-zag signed varint, as binary.Varint does.
func (r *entryReader) varint() int64 {
	ux := r.uvarint()
	x := int64(ux >> 1)
	if ux&1 != 0 {
		x = ^x
	}
	return x
}

// int reads a varint that must fit an int.
func (r *entryReader) int() int {
	x := r.varint()
	if int64(int(x)) != x {
		r.fail(errEntryInvalid)
		return 0
	}
	return int(x)
}

// count reads a length or count, which cannot exceed the bytes left:
// each item takes at least one.
func (r *entryReader) count() int {
	n := r.uvarint()
	if r.err == nil && n > uint64(len(r.s)-r.off) {
		r.fail(errEntryShort)
		return 0
	}
	return int(n)
}

func (r *entryReader) string() string {
	n := r.count()
	if r.err != nil {
		return ""
	}
	r.off += n
	return r.s[r.off-n : r.off]
}

// lists reads the two string lists into one backing array.
func (r *entryReader) lists() (mentions, thanked []string) {
	nm := r.count()
	start := r.off
	for range nm {
		r.string()
	}
	nt := r.count()
	if r.err != nil || nm+nt == 0 {
		return nil, nil
	}
	all := make([]string, nm+nt)
	r.off = start
	for i := range nm {
		all[i] = r.string()
	}
	r.count()
	for i := range nt {
		all[nm+i] = r.string()
	}
	if nm > 0 {
		mentions = all[:nm:nm]
	}
	if nt > 0 {
		thanked = all[nm:]
	}
	return mentions, thanked
}
