package webhook

import (
	"strconv"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// The helpers below read raw JSON text exactly as encoding/json and
// go-github read it, so that Extract returns what Normalize returns.

// parseInt reads the JSON number v as encoding/json reads it into an
// int64: digits with an optional minus and no leading zero, in range.
func parseInt(v []byte) (int64, bool) {
	digits := v
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || digits[0] < '0' || digits[0] > '9' || digits[0] == '0' && len(digits) > 1 {
		return 0, false // strconv takes a plus sign and leading zeros, JSON neither
	}
	// v is only read while ParseInt runs, and the error is dropped.
	n, err := strconv.ParseInt(unsafe.String(unsafe.SliceData(v), len(v)), 10, 64)
	return n, err == nil
}

// parseTimestamp is github.Timestamp.UnmarshalJSON: Unix seconds (or
// milliseconds past the year 3000) from the raw bytes of a JSON number,
// else RFC 3339 from those of a string between its quotes (escapes are
// not decoded, as go-github does not decode them either), parsed without
// the quotes that go-github's layout has.
func parseTimestamp(v []byte, isString bool) (time.Time, bool) {
	if !isString {
		i, ok := parseInt(v)
		if !ok {
			return time.Time{}, false
		}
		t := time.Unix(i, 0)
		if t.Year() > 3000 {
			t = time.Unix(0, i*1e6)
		}
		return t, true
	}
	// Unquoted, the layout takes time.Parse's fast path for RFC 3339; it
	// reads what the quoted one go-github uses reads.
	t, err := time.Parse(time.RFC3339, unsafe.String(unsafe.SliceData(v), len(v)))
	return t, err == nil
}

// appendUnquoted appends the JSON string whose text between the quotes
// is s, decoded exactly as encoding/json decodes it. It reports false,
// as encoding/json's scanner fails, on a control character or an escape
// JSON does not have.
func appendUnquoted(dst, s []byte) ([]byte, bool) {
	for r := 0; r < len(s); {
		c := s[r]
		switch {
		case c == '\\':
			r++
			if r >= len(s) {
				return dst, false
			}
			switch s[r] {
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			case '"', '\\', '/':
				dst = append(dst, s[r])
			case 'u':
				rr := getu4(s[r-1:])
				if rr < 0 {
					return dst, false
				}
				r += 5
				if utf16.IsSurrogate(rr) {
					if dec := utf16.DecodeRune(rr, getu4(s[r:])); dec != unicode.ReplacementChar {
						r += 6
						dst = utf8.AppendRune(dst, dec)
						continue
					}
					rr = unicode.ReplacementChar
				}
				dst = utf8.AppendRune(dst, rr)
				continue
			default:
				return dst, false
			}
			r++
		case c < ' ':
			return dst, false
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			dst = utf8.AppendRune(dst, rr)
		}
	}
	return dst, true
}

// getu4 is encoding/json's: the rune of the \uXXXX escape at the start of s,
// or -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c = c - '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// plain reports whether a JSON string's text decodes to itself: no
// escape, no control character, valid UTF-8.
func plain(s []byte) bool {
	ascii := true
	for _, c := range s {
		if c == '\\' || c < ' ' {
			return false
		}
		ascii = ascii && c < utf8.RuneSelf
	}
	return ascii || utf8.Valid(s)
}
