package publish

import (
	"bytes"
	"compress/gzip"

	"github.com/andybalholm/brotli"
)

// precompressMin is the smallest file worth precompressing: below 1 KiB
// the saving is smaller than a packet, and CDNs do not compress it either.
const precompressMin = 1024

// compressor writes one precompressed sibling of a file.
type compressor struct {
	ext      string // .gz
	encoding string // the Content-Encoding it must be served with
	compress func([]byte) ([]byte, error)
}

// compressors are gzip at its best level (every client) and brotli at
// quality 9 (smaller still; quality 10 and 11 cost several times the time
// for a few percent). Both are deterministic: gzip writes no name and no
// time in its header.
var compressors = []compressor{
	{".gz", "gzip", func(data []byte) ([]byte, error) {
		var b bytes.Buffer
		w, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(data); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}},
	{".br", "br", func(data []byte) ([]byte, error) {
		var b bytes.Buffer
		w := brotli.NewWriterLevel(&b, 9)
		if _, err := w.Write(data); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}},
}
