package main

import (
	"io"
	"testing"
)

func TestLoopbackURL(t *testing.T) {
	for _, ok := range []string{
		"http://127.0.0.1:3000", "http://127.0.0.1", "http://127.1.2.3:8080/",
		"http://localhost:3000", "http://LOCALHOST", "https://localhost",
		"http://[::1]:3000", "http://[::ffff:127.0.0.1]:3000",
	} {
		if _, err := loopbackURL(ok); err != nil {
			t.Errorf("loopbackURL(%q) = %v, want accepted", ok, err)
		}
	}
	for _, bad := range []string{
		"http://example.com", "http://10.0.0.1:3000", "http://0.0.0.0:3000", "http://[::]:3000",
		"http://128.0.0.1", "http://localhost.example.com", "http://127.0.0.1.nip.io",
		"http://[::2]", "http://192.168.1.10", "ftp://127.0.0.1", "127.0.0.1:3000", "http://",
		"http://user@evil.com", "://bad",
	} {
		if _, err := loopbackURL(bad); err == nil {
			t.Errorf("loopbackURL(%q) accepted a host that is not loopback", bad)
		}
	}
}

func TestParseFlags(t *testing.T) {
	c, err := parseFlags([]string{"-secret", "s", "-url", "http://127.0.0.1:3000/", "-rate", "500"}, io.Discard)
	if err != nil || c.rate != 500 || c.url != "http://127.0.0.1:3000" {
		t.Fatalf("parseFlags = %+v, %v", c, err)
	}
	for _, args := range [][]string{
		{"-secret", "s", "-rate", "10", "-concurrency", "4"},
		{"-secret", "s", "-rate", "0"},
		{"-secret", "s", "-n", "0"},
		{"-secret", "s", "-url", "http://10.1.1.1:3000"},
		{"-secret", "s", "extra"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
	t.Setenv("GITHUB_WEBHOOK_SECRET", "")
	if _, err := parseFlags(nil, io.Discard); err == nil {
		t.Error("parseFlags accepted no secret")
	}
}
