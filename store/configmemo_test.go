package store

import (
	"encoding/json"
	"reflect"
	"strconv"
	"testing"

	"github.com/kudos-app/kudos/recognizer"
)

func TestConfigMemo(t *testing.T) {
	text := func(aliases ...string) string {
		cfg := recognizer.DefaultConfig()
		cfg.Aliases = aliases
		b, err := json.Marshal(ConfigEntry{Config: cfg, Source: "repo", SHA: "abc"})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	// decodeConfig is the memo's oracle: a plain decode of the text.
	decodeConfig := func(v string) *ConfigEntry {
		var e ConfigEntry
		if err := json.Unmarshal([]byte(v), &e); err != nil {
			t.Fatal(err)
		}
		return &e
	}
	var m configMemo
	if m.decode("") != nil || m.decode("{not json") != nil {
		t.Fatal("empty or broken text decodes to a configuration")
	}
	a := text("props")
	first := m.decode(a)
	if first == nil || !reflect.DeepEqual(first, decodeConfig(a)) {
		t.Fatalf("decode = %+v; want %+v", first, decodeConfig(a))
	}
	// A caller changing its copy does not change what the next one reads.
	first.Source, first.Config.Thanks = "changed", !first.Config.Thanks
	if again := m.decode(a); !reflect.DeepEqual(again, decodeConfig(a)) {
		t.Fatalf("second decode = %+v; want it unchanged", again)
	}
	// A new text is a new configuration.
	if b := m.decode(text("cheers")); len(b.Config.Aliases) != 1 || b.Config.Aliases[0] != "cheers" {
		t.Fatalf("aliases = %v; want [cheers]", b.Config.Aliases)
	}
	// The memo is bounded.
	for i := range 3 * maxConfigMemo {
		m.decode(text("a" + strconv.Itoa(i)))
	}
	if n := len(m.m); n > maxConfigMemo {
		t.Fatalf("memo holds %d entries; want at most %d", n, maxConfigMemo)
	}
}
