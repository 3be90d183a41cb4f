package recognizer

import "testing"

func TestContributionAppendKey(t *testing.T) {
	for _, c := range []Contribution{{}, {Kind: KindComment, ID: 42}, {Kind: KindReviewComment, ID: -7}, {Kind: KindMerged, ID: 1 << 62}} {
		if got, want := string(c.AppendKey([]byte("x"))), "x"+c.Key(); got != want {
			t.Errorf("AppendKey = %q; want %q", got, want)
		}
	}
}
