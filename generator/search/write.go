package search

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Manifest is what the client loads first: how to find the file of a token
// and of a page, and what the search page needs besides.
type Manifest struct {
	Version int `json:"version"`
	// Shift: a document number is page<<Shift | section.
	Shift int `json:"shift"`
	Pages int `json:"pages"`
	// Buckets is the number of token buckets (a power of two): a token is
	// in bucket hash32(token) & (Buckets-1).
	Buckets    int   `json:"buckets"`
	BucketDirs Table `json:"bucketDirs"`
	PageDirs   Table `json:"pageDirs"`
	// Glossary and Example are the page ranges [first, end) of the
	// glossary page and of the pages about example bodies.
	Glossary [2]int `json:"glossary"`
	Example  [2]int `json:"example"`
	// Synonyms and Suggest are the Options' (Synonyms are used by the
	// client only to highlight).
	Synonyms [][]string `json:"synonyms"`
	Suggest  []string   `json:"suggest"`
	// Terms are the glossary's terms: name, anchor, then aliases.
	Terms [][]string `json:"terms"`
}

// Table lists the directory files of a table of files: entry i is in
// directory i/Per, at place i%Per. Names holds the directory files' names
// (13 characters each, without the folder and extension) one after
// another.
type Table struct {
	Per   int    `json:"per"`
	Names string `json:"names"`
}

// Write writes the index files (buckets of tokens, blocks of long posting
// lists, directories and the manifest) after every page was added, and
// returns what it wrote; Stats.Manifest is the manifest's name,
// search/index.<hash>.json.
//
// Pages are numbered in this order: the glossary, then the pages about
// example bodies, then the others; in each group pages of no year first,
// then by year, kind (budget before final) and body. A client that reads a
// long posting list from its end thus meets the newest real disclosures
// first.
func (ix *Index) Write() (Stats, error) {
	ix.mu.Lock()
	pages := slices.Clone(ix.pages)
	ix.mu.Unlock()
	slices.SortFunc(pages, func(a, b *pageData) int {
		return cmp.Or(
			-cmp.Compare(boolInt(a.meta.Glossary), boolInt(b.meta.Glossary)),
			-cmp.Compare(boolInt(a.meta.Example), boolInt(b.meta.Example)),
			cmp.Compare(a.meta.Year, b.meta.Year),
			cmp.Compare(kindOrder(a.meta.Kind), kindOrder(b.meta.Kind)),
			strings.Compare(a.meta.BodySlug, b.meta.BodySlug),
			strings.Compare(a.meta.Path, b.meta.Path))
	})
	m := Manifest{Version: 1, Pages: len(pages), Synonyms: ix.o.Synonyms, Suggest: ix.o.Suggest}
	if m.Synonyms == nil {
		m.Synonyms = [][]string{}
	}
	if m.Suggest == nil {
		m.Suggest = []string{}
	}
	m.Terms = [][]string{}
	for _, t := range ix.o.Terms {
		m.Terms = append(m.Terms, append([]string{t.Name, t.Anchor}, t.Aliases...))
	}
	maxSec := 1
	var total int64
	for i, p := range pages {
		maxSec = max(maxSec, p.nsec)
		total += int64(p.slabs[256])
		if p.meta.Glossary {
			m.Glossary[1] = i + 1
		}
		if p.meta.Example {
			if m.Example[1] == 0 {
				m.Example[0] = i
			}
			m.Example[1] = i + 1
		}
	}
	m.Shift = max(1, bits.Len(uint(maxSec-1)))

	// Fine buckets: 2^k0 of them, each about a quarter of a bucket, so the
	// final buckets (unions of fine ones) come close to BucketBytes.
	k0 := 8
	for k0 < 24 && total>>k0 > int64(ix.o.BucketBytes/4) {
		k0++
	}
	fine := make([][]byte, 1<<k0)
	if ix.spillErr != nil {
		return ix.stats, ix.spillErr
	}
	// Slabs are merged a spill group at a time, so that spilled postings
	// are read back one file at a time.
	for g := range spillGroups {
		var run []byte
		if ix.spill != nil {
			var err error
			if run, err = ix.spill.read(g); err != nil {
				return ix.stats, err
			}
		}
		slabs := make(chan int)
		errs := make(chan error, slabsPerGroup)
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				for s := range slabs {
					if err := ix.mergeSlab(pages, s, m.Shift, k0, fine, run); err != nil {
						errs <- err
					}
				}
			})
		}
		for s := g * slabsPerGroup; s < (g+1)*slabsPerGroup; s++ {
			slabs <- s
		}
		close(slabs)
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			return ix.stats, err
		}
	}

	// Final buckets: k bits of the hash, each the union of 2^(k0-k) fine
	// buckets (those whose reversed hash starts with the same k bits).
	var size int64
	for _, f := range fine {
		size += int64(len(f))
	}
	k := 0
	for k < k0 && size>>k > int64(ix.o.BucketBytes) {
		k++
	}
	m.Buckets = 1 << k
	hashes := make([][8]byte, m.Buckets)
	for c := range m.Buckets {
		var data []byte
		for f := c << (k0 - k); f < (c+1)<<(k0-k); f++ {
			data = append(data, fine[f]...)
		}
		h, err := ix.write("t/", ".bin", data)
		if err != nil {
			return ix.stats, err
		}
		// The client's bucket number is the hash's low k bits: the
		// reverse of the prefix c.
		hashes[bits.Reverse32(uint32(c))>>(32-k)&uint32(m.Buckets-1)] = h
	}
	var err error
	if m.BucketDirs, err = ix.table(len(hashes), func(i int, b []byte) []byte { return append(b, hashes[i][:]...) }); err != nil {
		return ix.stats, err
	}
	if m.PageDirs, err = ix.table(len(pages), func(i int, b []byte) []byte {
		b = binary.AppendUvarint(b, uint64(len(pages[i].parts)))
		for _, p := range pages[i].parts {
			b = binary.AppendUvarint(b, uint64(p.first))
			b = append(b, p.hash[:]...)
		}
		return b
	}); err != nil {
		return ix.stats, err
	}
	data, err := marshal(m)
	if err != nil {
		return ix.stats, err
	}
	h, err := ix.write("index.", ".json", data)
	if err != nil {
		return ix.stats, err
	}
	ix.stats.Pages = len(pages)
	ix.stats.Manifest = ix.fileName("index.", h, ".json")
	return ix.stats, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func kindOrder(k string) int {
	switch k {
	case "":
		return 0
	case "budget":
		return 1
	case "final":
		return 2
	}
	return 3
}

// table writes the directories of a table of n entries, entry i encoded by
// enc, at most DirEntries directories.
func (ix *Index) table(n int, enc func(i int, b []byte) []byte) (Table, error) {
	per := max(ix.o.DirSize, (n+ix.o.DirEntries-1)/ix.o.DirEntries)
	t := Table{Per: per}
	var names strings.Builder
	for first := 0; first < n || first == 0; first += per {
		var b []byte
		for i := first; i < min(n, first+per); i++ {
			b = enc(i, b)
		}
		h, err := ix.write("d/", ".bin", b)
		if err != nil {
			return t, err
		}
		names.WriteString(b32.EncodeToString(h[:]))
		if n == 0 {
			break
		}
	}
	t.Names = names.String()
	return t, nil
}

// posting is the posting list of one token while it is merged.
type posting struct {
	text    string
	rev     uint32
	buf     []byte
	last    uint64 // the last document
	df      int    // entries
	blocks  []mark
	curPage int
}

// mark is where a block of a long posting list starts.
type mark struct {
	off      int    // offset in buf
	deltaLen int    // length of the first entry's document delta there
	first    uint64 // its first document
	entries  int
}

// mergeSlab merges the postings of slab s (tokens whose reversed hash
// starts with byte s) of every page, in page order, and fills the fine
// buckets of the slab. Long lists are written as blocks. run is the spill
// file of the slab's group, or nil when postings are in memory.
func (ix *Index) mergeSlab(pages []*pageData, s, shift, k0 int, fine [][]byte, run []byte) error {
	byText := map[string]*posting{}
	var list []*posting
	for pi, pd := range pages {
		var b []byte
		if run != nil {
			base := pd.off[s/slabsPerGroup] - int64(pd.slabs[s/slabsPerGroup*slabsPerGroup])
			b = run[base+int64(pd.slabs[s]) : base+int64(pd.slabs[s+1])]
		} else {
			b = pd.post[pd.slabs[s]:pd.slabs[s+1]]
		}
		for len(b) > 0 {
			n, w := binary.Uvarint(b)
			b = b[w:]
			p := byText[string(b[:n])] // no allocation for the lookup
			if p == nil {
				text := string(b[:n])
				p = &posting{text: text, rev: bits.Reverse32(hash32(text)), curPage: -1}
				byText[text] = p
				list = append(list, p)
			}
			b = b[n:]
			entries, w := binary.Uvarint(b)
			b = b[w:]
			for range entries {
				sec, w := binary.Uvarint(b)
				b = b[w:]
				end := entryLen(b)
				doc := uint64(pi)<<shift | sec
				if p.curPage != pi {
					p.curPage = pi
					if len(p.blocks) == 0 || len(p.buf)-p.blocks[len(p.blocks)-1].off >= ix.o.BlockBytes {
						p.blocks = append(p.blocks, mark{off: len(p.buf), first: doc, deltaLen: uvarintLen(doc - p.last)})
					}
				}
				p.buf = binary.AppendUvarint(p.buf, doc-p.last)
				p.buf = append(p.buf, b[:end]...)
				b = b[end:]
				p.last = doc
				p.df++
				p.blocks[len(p.blocks)-1].entries++
			}
		}
	}
	slices.SortFunc(list, func(a, b *posting) int {
		return cmp.Or(cmp.Compare(a.rev, b.rev), strings.Compare(a.text, b.text))
	})
	for i := 0; i < len(list); {
		f := int(list[i].rev >> (32 - k0))
		var out []byte
		for ; i < len(list) && int(list[i].rev>>(32-k0)) == f; i++ {
			var err error
			if out, err = ix.record(out, list[i]); err != nil {
				return err
			}
		}
		fine[f] = out
	}
	return nil
}

// entryLen returns the length of the meta and positions of the entry at the
// start of b.
func entryLen(b []byte) int {
	meta, n := binary.Uvarint(b)
	if meta&2 != 0 {
		for range meta >> 2 {
			_, w := binary.Uvarint(b[n:])
			n += w
		}
	}
	return n
}

func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// record appends the bucket record of p to out:
//
//	uvarint len, text
//	uvarint df (documents)
//	byte 0, uvarint length, the postings: a short list, inline
//	byte 1, uvarint blocks, per block: uvarint first document minus the
//	  last of the block before (0 for the first), uvarint last minus
//	  first, uvarint documents, 8 bytes of the block file's hash
//
// Postings: per document, uvarint document minus the one before (the
// first of a list or block: the document itself), then the entry written
// by appendEntry.
func (ix *Index) record(out []byte, p *posting) ([]byte, error) {
	out = binary.AppendUvarint(out, uint64(len(p.text)))
	out = append(out, p.text...)
	out = binary.AppendUvarint(out, uint64(p.df))
	if len(p.buf) <= ix.o.InlineBytes {
		out = append(out, 0)
		out = binary.AppendUvarint(out, uint64(len(p.buf)))
		return append(out, p.buf...), nil
	}
	out = append(out, 1)
	out = binary.AppendUvarint(out, uint64(len(p.blocks)))
	prevLast := uint64(0)
	for i, mk := range p.blocks {
		end := len(p.buf)
		if i+1 < len(p.blocks) {
			end = p.blocks[i+1].off
		}
		block := binary.AppendUvarint(nil, mk.first)
		block = append(block, p.buf[mk.off+mk.deltaLen:end]...)
		last := lastDoc(block)
		h, err := ix.write("b/", ".bin", block)
		if err != nil {
			return nil, fmt.Errorf("search: block of %q: %w", p.text, err)
		}
		out = binary.AppendUvarint(out, mk.first-prevLast)
		out = binary.AppendUvarint(out, last-mk.first)
		out = binary.AppendUvarint(out, uint64(mk.entries))
		out = append(out, h[:]...)
		prevLast = last
	}
	return out, nil
}

// lastDoc returns the last document of a block of postings.
func lastDoc(b []byte) uint64 {
	var doc uint64
	for len(b) > 0 {
		d, w := binary.Uvarint(b)
		doc += d
		b = b[w:]
		b = b[entryLen(b):]
	}
	return doc
}
