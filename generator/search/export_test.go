package search

// MoneyForms exports moneyForms to the tests of package search_test.
func MoneyForms(n, unit string) []string { return moneyForms(nil, n, unit) }

// Hash32 exports hash32, which the client computes too.
var Hash32 = hash32

// HashName is the file name of an 8-byte content hash.
func HashName(h []byte) string { return b32.EncodeToString(h) }
