// Package search builds the full-text search index of a disclosure site at
// build time; the browser client, static/js/search.js, queries it with no
// server.
//
// # Tokens
//
// [Tokenize] is the one tokenizer of the index and of queries (the client
// implements the same rules, and a browser test runs both on the same
// inputs): NFKC and lower case; Chinese as single characters plus
// overlapping bigrams, punctuation inside a Chinese run not breaking it;
// numbers and codes whole, thousands separators and trailing zeros
// ignored; words. Positions leave a gap at every break, so a phrase is
// checked by position. [ParseQuery] turns a query into groups of the
// bigrams that cover each run.
//
// # Documents
//
// [Extract] splits a rendered page into sections, the documents: the text
// after each heading with an id, each table with its caption, each element
// marked data-search-section. The index adds, to what the text says, the
// other unit's form of every amount (2966.24万元 is also 29662400) and the
// other phrases of a synonym group (a glossary term and its aliases, the
// names of a classification code over the years), at the same positions.
//
// # Files
//
// [Index.Write] writes, under Options.Dir, files named by the hash of their
// content (the first 8 bytes of SHA-256, in lower-case base32):
//
//	index.<hash>.json  the [Manifest]
//	d/<hash>.bin       a directory: the hashes of some buckets (8 bytes each),
//	                   or, per page, uvarint parts, then per part uvarint first
//	                   section and its 8-byte hash
//	t/<hash>.bin       a bucket: the tokens whose FNV-1a hash ends in its
//	                   number, each a record (see Index.record)
//	b/<hash>.bin       a block of a long posting list
//	p/<hash>.json      a part: a page's description, its sections' anchors
//	                   and titles, and the text of some of them
//
// A document number is page<<Manifest.Shift | section. Pages are numbered
// glossary first, then pages about example bodies, then the others, each
// group by year, kind and body: the client reads a long posting list from
// its end, a window of pages at a time, newest first.
//
// [Reader] reads an index back in Go, for tests and tools.
package search
