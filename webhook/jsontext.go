package webhook

import (
	"bytes"
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
// int64: digits with an optional minus, in range.
func parseInt(v []byte) (int64, bool) {
	if len(v) > 0 && v[0] == '+' {
		return 0, false // strconv takes a plus sign, JSON does not
	}
	// v is only read while ParseInt runs, and the error is dropped.
	n, err := strconv.ParseInt(unsafe.String(unsafe.SliceData(v), len(v)), 10, 64)
	return n, err == nil
}

// parseTimestamp is github.Timestamp.UnmarshalJSON: Unix seconds (or
// milliseconds past the year 3000), else RFC 3339 in quotes, read from the
// raw bytes of a JSON number, or of a string between its quotes (escapes
// are not decoded, as go-github does not decode them either).
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
	if t, ok := parseUTCSeconds(v); ok {
		return t, true
	}
	t, err := time.Parse(`"`+time.RFC3339+`"`, `"`+string(v)+`"`)
	return t, err == nil
}

// parseUTCSeconds parses the form GitHub sends, 2006-01-02T15:04:05Z, with
// every field in range, exactly as time.Parse would; anything else is left
// to time.Parse.
func parseUTCSeconds(v []byte) (time.Time, bool) {
	if len(v) != 20 || v[4] != '-' || v[7] != '-' || v[10] != 'T' || v[13] != ':' || v[16] != ':' || v[19] != 'Z' {
		return time.Time{}, false
	}
	num := func(i, n int) int {
		x := 0
		for _, c := range v[i : i+n] {
			if c < '0' || c > '9' {
				return -1
			}
			x = x*10 + int(c-'0')
		}
		return x
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	hour, minute, sec := num(11, 2), num(14, 2), num(17, 2)
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 ||
		minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	if day > 28 && time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC).Day() != day {
		return time.Time{}, false // day out of range: time.Parse's error
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC), true
}

// appendUnquoted appends the JSON string whose (validated) text between
// the quotes is s, decoded exactly as encoding/json decodes it.
func appendUnquoted(dst, s []byte) []byte {
	for r := 0; r < len(s); {
		c := s[r]
		switch {
		case c == '\\':
			r++
			if r >= len(s) {
				return dst
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
			case 'u':
				rr := getu4(s[r-1:])
				if rr < 0 {
					return dst
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
			default: // '"', '\\', '/', '\''
				dst = append(dst, s[r])
			}
			r++
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			dst = utf8.AppendRune(dst, rr)
		}
	}
	return dst
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

// plain reports whether a JSON string's text decodes to itself.
func plain(s []byte) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\\' || c >= utf8.RuneSelf {
			return utf8.Valid(s[i:]) && bytes.IndexByte(s[i:], '\\') < 0
		}
	}
	return true
}
