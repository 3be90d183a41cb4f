package main

import (
	"slices"
	"strings"
	"testing"
)

func TestCompareOnce(t *testing.T) {
	key := func(inst, id string) string { return "kudos:{inst:" + inst + "}:delivery:" + id }
	ok := compareOnce([]string{"loadgen-a-0", "loadgen-a-1"}, []string{key("1", "loadgen-a-1"), key("1", "loadgen-a-0")})
	if !ok.OK || ok.String() != "exactly-once: ok (2 accepted, 2 recorded)" {
		t.Fatalf("matching run: %+v %s", ok, ok)
	}
	bad := compareOnce(
		[]string{"loadgen-a-0", "loadgen-a-1", "loadgen-a-2"},
		[]string{key("1", "loadgen-a-0"), key("2", "loadgen-a-0"), key("1", "loadgen-a-1"), key("1", "loadgen-a-3")},
	)
	if bad.OK || !slices.Equal(bad.Missing, []string{"loadgen-a-2"}) ||
		!slices.Equal(bad.Unacknowledged, []string{"loadgen-a-3"}) || !slices.Equal(bad.Duplicated, []string{"loadgen-a-0"}) {
		t.Fatalf("mismatching run: %+v", bad)
	}
	if s := bad.String(); !strings.HasPrefix(s, "exactly-once: MISMATCH (3 accepted, 4 recorded)") || !strings.Contains(s, "loadgen-a-2") {
		t.Fatalf("mismatch message: %s", s)
	}
	if twice := compareOnce([]string{"x", "x"}, []string{key("1", "x")}); twice.OK {
		t.Fatal("an id answered 202 twice passed")
	}
}
