package store

// Internals the external tests and benchmarks use.
var (
	AppendEntry  = appendEntry
	DecodeLedger = decodeLedger
	LedgerFields = ledgerFields
)
