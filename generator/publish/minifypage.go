package publish

import (
	"bytes"
	"sync"

	"github.com/tdewolff/minify/v2"
)

// Tables and charts are most of a disclosure page's bytes, and minifying
// them was most of the minifier's time, though this program writes them
// in a form known in advance. So minifyPage takes a page's tables and
// inline SVG out, minifies what is left, and puts each back as
// compactTable or compactSVG writes it: what the minifier would have
// written, made by a byte scan that knows only the few elements and
// attributes the table and chart writers use, with the minifier's own
// functions for what it changes. A table or chart in any other form is
// minified with the page.

// The placeholders a compacted table or chart leaves in the page while the
// rest is minified, and what the minifier writes for them: an element of
// the same name, so that the minifier treats the space around it as it
// treats the space around the element (TestMinifyPageIsMinifier).
const (
	tableSplice    = "<table data-disclose-splice></table>"
	tableSpliceMin = tableSplice
	svgSplice      = `<svg id="disclose-splice"></svg>`
	svgSpliceMin   = `<svg id="disclose-splice"/>`
)

// minifyPage minifies an HTML page with m, writing the tables and inline
// SVG at regions (in order, none inside another, each a whole element
// outside <pre>, as scanTags finds them) through compactTable and compactSVG. The result is
// the minifier's output for the whole page, byte for byte. Unlike the
// minifier, which works in the bytes it is given, it leaves page as it
// was: the search index reads it next.
func minifyPage(m *minify.M, page []byte, regions []region, paths *pathCache) ([]byte, error) {
	whole := func() ([]byte, error) { return m.Bytes("text/html", bytes.Clone(page)) }
	if len(regions) == 0 {
		return whole()
	}
	size := 0
	for _, r := range regions {
		size += r.end - r.start
	}
	var scratch compactScratch
	pathData := func(d []byte) ([]byte, bool) { return paths.pathData(m, d, &scratch) }
	compacted := make([]byte, 0, size)
	type piece struct {
		end int // where it ends in compacted
		svg bool
	}
	var pieces []piece
	skeleton := make([]byte, 0, len(page)/2)
	last := 0
	for _, r := range regions {
		var ok bool
		if r.svg {
			compacted, ok = compactSVG(compacted, page[r.start:r.end], &scratch, pathData)
		} else {
			compacted, ok = compactTable(compacted, page[r.start:r.end], &scratch)
		}
		if !ok {
			continue
		}
		pieces = append(pieces, piece{len(compacted), r.svg})
		skeleton = append(skeleton, page[last:r.start]...)
		if r.svg {
			skeleton = append(skeleton, svgSplice...)
		} else {
			skeleton = append(skeleton, tableSplice...)
		}
		last = r.end
	}
	if len(pieces) == 0 {
		return whole()
	}
	skeleton = append(skeleton, page[last:]...)
	small, err := m.Bytes("text/html", skeleton)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(small)+len(compacted))
	from := 0
	for _, p := range pieces {
		mark := tableSpliceMin
		if p.svg {
			mark = svgSpliceMin
		}
		i := bytes.Index(small, []byte(mark))
		if i < 0 {
			return whole()
		}
		out = append(out, small[:i]...)
		out = append(out, compacted[from:p.end]...)
		from = p.end
		small = small[i+len(mark):]
	}
	if bytes.Contains(small, []byte(tableSpliceMin)) || bytes.Contains(small, []byte(svgSpliceMin)) {
		return whole()
	}
	return append(out, small...), nil
}

// pathCache remembers minified path data: charts of one layout share
// their grid lines, so a site has a few dozen distinct paths in thousands
// of charts (73 in 1,568 on a synthetic site of 200 disclosures). A nil
// *pathCache remembers nothing. What it returns is shared: read only.
type pathCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

// pathCacheMax bounds a cache: paths beyond it (the lines of line charts,
// each its own) are not remembered.
const pathCacheMax = 4096

// pathData returns the path data d minified (minifyPathData), as c
// remembers it when it does.
func (c *pathCache) pathData(m *minify.M, d []byte, scratch *compactScratch) ([]byte, bool) {
	if c == nil {
		return minifyPathData(m, d, scratch)
	}
	c.mu.Lock()
	out, ok := c.m[string(d)]
	c.mu.Unlock()
	if ok {
		return out, true
	}
	if out, ok = minifyPathData(m, d, scratch); !ok {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string][]byte{}
	}
	if len(c.m) < pathCacheMax {
		c.m[string(d)] = out
	}
	return out, true
}

// minifyPathData minifies the value of an SVG d attribute with m, as the
// SVG minifier does in a chart: it runs it on a <path> of its own, since
// its path data shortener is not usable alone. Paths with curves are
// refused: the shortener carries their control points from one path to
// the next, which a path of its own would not.
func minifyPathData(m *minify.M, d []byte, scratch *compactScratch) ([]byte, bool) {
	for _, c := range d {
		if !('0' <= c && c <= '9' || c == '.' || c == '-' || c == ' ' || c == ',' || bytes.IndexByte([]byte("MmLlHhVvZz"), c) >= 0) {
			return nil, false
		}
	}
	doc := append(append(append(scratch.doc[:0], `<path d="`...), d...), `"/>`...)
	scratch.doc = doc
	out, err := m.Bytes("image/svg+xml", doc)
	if err != nil || !bytes.HasPrefix(out, []byte(`<path d=`)) || !bytes.HasSuffix(out, []byte(`/>`)) {
		return nil, false
	}
	val := out[len(`<path d=`) : len(out)-2]
	if len(val) < 2 || val[0] != '"' || val[len(val)-1] != '"' {
		return nil, false
	}
	return val[1 : len(val)-1], true
}

// shiftRegions moves regions of a page to where they are once inserts
// (sorted by offset) are made, leaving out any an insert falls inside.
func shiftRegions(regions []region, inserts []insert) []region {
	out := regions[:0]
	shift, k := 0, 0
	for _, r := range regions {
		for k < len(inserts) && inserts[k].off <= r.start {
			shift += len(inserts[k].text)
			k++
		}
		if k < len(inserts) && inserts[k].off < r.end {
			continue
		}
		out = append(out, region{start: r.start + shift, end: r.end + shift, svg: r.svg})
	}
	return out
}

// compactScratch holds the buffers compactTable, compactSVG and
// minifyPathData reuse.
type compactScratch struct{ val, quoted, doc []byte }

// region is where an element is in a page: [start, end), a <table> or an
// inline <svg>.
type region struct {
	start, end int
	svg        bool
}
