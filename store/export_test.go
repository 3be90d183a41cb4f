package store

// Internals the external tests and benchmarks use.
var (
	AppendEntry       = appendEntry
	DecodeLedgerEntry = decodeEntry
	DecodeLedger      = decodeLedger
	LedgerFields      = ledgerFields
)
