package store

import "context"

// Internals the external tests and benchmarks use.
var (
	AppendEntry       = appendEntry
	DecodeLedgerEntry = decodeEntry
	DecodeLedger      = decodeLedger
	LedgerFields      = ledgerFields
)

// MarkDone records that items were posted, at url, as Posted does.
func (s *Store) MarkDone(ctx context.Context, inst int64, ids []string, url string) error {
	return s.setItems(ctx, inst, ids, stateDone+url)
}
