package publish

import (
	"bytes"
	"compress/gzip"
	"io"
	"sync"

	"github.com/andybalholm/brotli"
)

// precompressMin is the smallest file worth precompressing: below 1 KiB
// the saving is smaller than a packet, and CDNs do not compress it either.
const precompressMin = 1024

// Compression levels. The static assets (stylesheets, scripts, images:
// named by content hash) are few, small and fetched by every first
// visitor, so they get the best there is: gzip 9 and brotli 11 (22 times
// slower than brotli 9 for 8% less). Everything else is one of thousands
// and read rarely: a page, a download, a shard of the search index (also
// named by content hash, but thousands of them, fetched only by a search)
// gets gzip 6 and brotli 6. Measured with andybalholm/brotli on the
// example's 30 KB disclosure page: brotli 6 0.64 ms, 9 1.6 ms, 11 35 ms;
// on a 72 KB synthetic page, minified: gzip 9 1.36 ms, 6 0.73 ms for 1% more
// (13,522 and 13,658 bytes). With 2,102 index shards at brotli 11 a 1,000
// disclosure --precompress build took 16.2 s; see README, Speed and memory.
const (
	brotliBest     = 11
	brotliRest     = 6
	gzipBest       = gzip.BestCompression
	gzipRest       = gzip.DefaultCompression
	brotliAssetMax = 1 << 20 // above this an asset gets the rest's levels too
)

// compressors write the precompressed siblings of a build's files. They
// keep their writers for reuse, by level (0 the rest's, 1 the best): a new
// brotli writer allocates tens of megabytes of tables, a gzip writer most
// of one. Both formats are deterministic: gzip writes no name and no time
// in its header.
type compressors struct {
	gz, br [2]sync.Pool // *gzip.Writer, *brotli.Writer
}

func newCompressors() *compressors {
	c := &compressors{}
	for i, l := range [2]int{gzipRest, gzipBest} {
		c.gz[i].New = func() any {
			w, _ := gzip.NewWriterLevel(nil, l)
			return w
		}
	}
	for i, q := range [2]int{brotliRest, brotliBest} {
		c.br[i].New = func() any { return brotli.NewWriterLevel(nil, q) }
	}
	return c
}

// encoding is one precompressed sibling: its extension and the
// Content-Encoding it must be served with.
type encoding struct {
	ext, name string
}

var encodings = []encoding{{".gz", "gzip"}, {".br", "br"}}

// compress returns data in encoding e, at the best levels if best (a
// static asset) and the data is at most brotliAssetMax long.
func (c *compressors) compress(e encoding, best bool, data []byte) ([]byte, error) {
	lvl := 0
	if best && len(data) <= brotliAssetMax {
		lvl = 1
	}
	pool := &c.br[lvl]
	if e.name == "gzip" {
		pool = &c.gz[lvl]
	}
	w := pool.Get().(resetWriter)
	defer pool.Put(w)
	var b bytes.Buffer
	b.Grow(len(data) / 3)
	w.Reset(&b)
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// resetWriter is a *gzip.Writer or a *brotli.Writer.
type resetWriter interface {
	io.WriteCloser
	Reset(io.Writer)
}
