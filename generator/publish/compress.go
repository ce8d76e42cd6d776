package publish

import (
	"bytes"
	"compress/gzip"
	"sync"

	"github.com/andybalholm/brotli"
)

// precompressMin is the smallest file worth precompressing: below 1 KiB
// the saving is smaller than a packet, and CDNs do not compress it either.
const precompressMin = 1024

// Brotli qualities. Hashed assets are few, small and fetched by every
// first visitor, so they get the best brotli there is (quality 11, 22
// times slower than 9 for 8% less); a page is one of thousands and read
// rarely, so it gets quality 6 (2.5 times faster than 9 for 2% more).
// Measured on the example's 30 KB disclosure page with andybalholm/brotli:
// q6 0.64 ms, q9 1.6 ms, q11 35 ms.
const (
	brotliAsset    = 11
	brotliPage     = 6
	brotliAssetMax = 1 << 20 // above this an asset gets brotliPage too
)

// compressors write the precompressed siblings of a build's files. They
// keep their writers for reuse: a new brotli writer allocates tens of
// megabytes of tables, a gzip writer most of one. Both formats are
// deterministic: gzip writes no name and no time in its header.
type compressors struct {
	gz sync.Pool          // *gzip.Writer at BestCompression
	br map[int]*sync.Pool // *brotli.Writer by quality
}

func newCompressors() *compressors {
	c := &compressors{br: map[int]*sync.Pool{}}
	c.gz.New = func() any {
		w, _ := gzip.NewWriterLevel(nil, gzip.BestCompression)
		return w
	}
	for _, q := range []int{brotliAsset, brotliPage} {
		c.br[q] = &sync.Pool{New: func() any { return brotli.NewWriterLevel(nil, q) }}
	}
	return c
}

// encoding is one precompressed sibling: its extension and the
// Content-Encoding it must be served with.
type encoding struct {
	ext, name string
}

var encodings = []encoding{{".gz", "gzip"}, {".br", "br"}}

// compress returns data in encoding e; class chooses the brotli quality.
func (c *compressors) compress(e encoding, class string, data []byte) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(len(data) / 3)
	if e.name == "gzip" {
		w := c.gz.Get().(*gzip.Writer)
		defer c.gz.Put(w)
		w.Reset(&b)
		if _, err := w.Write(data); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	q := brotliPage
	if class == Immutable && len(data) <= brotliAssetMax {
		q = brotliAsset
	}
	w := c.br[q].Get().(*brotli.Writer)
	defer c.br[q].Put(w)
	w.Reset(&b)
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
