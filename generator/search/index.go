package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Sink receives the files of the index; publish.Sink is one.
type Sink interface {
	WriteFile(name string, data []byte) error
}

// Page describes one page of the site to index.
type Page struct {
	// Path is the page's site path: panjin-zhcs/2020/budget/.
	Path  string
	Title string
	// Body is the name of the disclosing body the page is about, and
	// BodySlug its folder; both empty for pages about no body.
	Body, BodySlug string
	// Year and Kind (budget or final) of a disclosure page; KindName is
	// 预算 or 决算.
	Year     int
	Kind     string
	KindName string
	// Example marks a page about a synthetic body: it ranks after real
	// pages.
	Example bool
	// Glossary marks the glossary page: its terms are shown apart from the
	// results, as definitions.
	Glossary bool
}

// Options tune the layout of the index files. The zero value gives the
// defaults, which keep a first query on a 10,000-disclosure site small.
type Options struct {
	// Dir is the folder of the index in the output; default "search".
	Dir string
	// BucketBytes is the size aimed at for a bucket of tokens; default 4096.
	BucketBytes int
	// InlineBytes is the largest posting list kept in its bucket; longer
	// ones go to blocks. Default 1024.
	InlineBytes int
	// BlockBytes is the size aimed at for a block of a long posting list;
	// default 8192.
	BlockBytes int
	// PartBytes is the size aimed at for a part of a page's text; default
	// 8192.
	PartBytes int
	// DirEntries is the most directory files a table of file names lists
	// in the manifest; default 256. DirSize is the least number of entries
	// a directory file holds; default 64.
	DirEntries, DirSize int
	// Synonyms are groups of phrases that find each other: a glossary term
	// and its aliases, the names a classification code has had.
	Synonyms [][]string
	// Suggest lists terms the search page offers when nothing is found.
	Suggest []string
	// Terms are the glossary's terms: a query that names one shows its
	// definition above the results.
	Terms []GlossaryTerm
	// SpillDir, if set, is a folder for temporary files where pages'
	// postings wait for Write instead of memory (about 12 KB a disclosure
	// page); Close removes them. A build that keeps no Prepared sets it.
	SpillDir string
}

// GlossaryTerm is a glossary term: its name, its anchor on the glossary
// page, and its other names.
type GlossaryTerm struct {
	Name, Anchor string
	Aliases      []string
}

func (o *Options) defaults() {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	if o.Dir == "" {
		o.Dir = "search"
	}
	def(&o.BucketBytes, 4096)
	def(&o.InlineBytes, 1024)
	def(&o.BlockBytes, 8192)
	def(&o.PartBytes, 8192)
	def(&o.DirEntries, 256)
	def(&o.DirSize, 64)
}

// Hidden tokens that filter by year, kind and body. They are added to the
// first section of a disclosure page; no text makes them (they start with a
// control character).
const (
	FilterYear = "\x01y"
	FilterKind = "\x01k"
	FilterBody = "\x01b"
)

// Index builds the search index of a site: pages are added as they are
// rendered, from any goroutine, and Write writes the index files. An Index
// is for one build.
type Index struct {
	sink Sink
	o    Options
	syn  *synonyms

	mu    sync.Mutex
	pages []*pageData
	paths map[string]bool
	files map[string][]byte // hashed names written, for collision checks
	stats Stats
	// free holds page indexers between pages. Not a sync.Pool: every
	// garbage collection empties a pool, and a build collects often.
	free chan *pageIndexer
	fp   [32]byte

	spillOnce sync.Once
	spill     *spill
	spillErr  error
}

// Stats describes a written index.
type Stats struct {
	Pages, Sections int
	Files           int
	Bytes           int64 // all index files
	Manifest        string
	Buckets, Blocks int
	Parts           int
	PartBytes       int64
	PostingBytes    int64 // buckets and blocks
}

// pageData is an added page: its compact postings and the names of its
// parts. It copies what it needs of the Prepared rather than pointing at
// it: a spilled page must not keep the Prepared's postings in memory.
type pageData struct {
	meta  Page
	nsec  int
	post  []byte     // see encodePage; nil once spilled
	slabs [257]int32 // offsets in post where each slab starts
	// off is where each run of slabs went in its spill file.
	off   [spillGroups]int64
	parts []partRef
}

type partRef struct {
	first int
	hash  [8]byte
}

// New returns an Index that writes its files to sink.
func New(sink Sink, o Options) *Index {
	o.defaults()
	ix := &Index{sink: sink, o: o, syn: newSynonyms(o.Synonyms), paths: map[string]bool{}, files: map[string][]byte{},
		free: make(chan *pageIndexer, 2*runtime.GOMAXPROCS(0))}
	// What a Prepared depends on: the format, the part size, the synonyms.
	fp, _ := json.Marshal(struct {
		Format    int
		PartBytes int
		Synonyms  [][]string
	}{1, o.PartBytes, o.Synonyms})
	ix.fp = sha256.Sum256(fp)
	return ix
}

// Add indexes one rendered page (see [Extract] for what is indexed) and
// writes the parts of its text: Prepare, then AddPrepared. It is safe to
// call from several goroutines.
func (ix *Index) Add(p Page, page []byte) error {
	pp, err := ix.Prepare(p, page)
	if err != nil {
		return err
	}
	return ix.AddPrepared(pp)
}

// Prepared is a page made ready for an index: its postings and the text of
// its parts. It depends only on the page, its HTML and the options that
// [Index.Fingerprint] digests, so a builder that keeps it adds an
// unchanged page to a later build's index without reading the page again.
// It is never modified once made.
type Prepared struct {
	meta        Page
	nsec        int
	post        []byte
	slabs       [257]int32
	parts       []preparedPart
	fingerprint [32]byte
}

type preparedPart struct {
	first int
	data  []byte // JSON
}

// Fingerprint digests the options a [Prepared] depends on: the same
// fingerprint, the same Prepared for a page.
func (ix *Index) Fingerprint() [32]byte { return ix.fp }

// Prepare extracts, tokenizes and encodes a page for the index without
// adding it. It is safe to call from several goroutines.
func (ix *Index) Prepare(p Page, page []byte) (*Prepared, error) {
	return ix.PrepareSections(p, Extract(page))
}

// PrepareSections is Prepare for a page whose sections were extracted
// already (by an Extractor).
func (ix *Index) PrepareSections(p Page, secs []Section) (*Prepared, error) {
	if len(secs) == 0 {
		secs = []Section{{Title: p.Title, Text: p.Title, Body: len(p.Title), Level: 1}}
	}
	var pi *pageIndexer
	select {
	case pi = <-ix.free:
	default:
		pi = new(pageIndexer)
	}
	defer func() {
		select {
		case ix.free <- pi:
		default:
		}
	}()
	pp := &Prepared{meta: p, nsec: len(secs), fingerprint: ix.fp}
	pp.post = pi.index(ix, p, secs, &pp.slabs)
	var err error
	if pp.parts, err = ix.prepareParts(p, secs); err != nil {
		return nil, err
	}
	return pp, nil
}

// AddPrepared adds a prepared page and writes the parts of its text. It is
// safe to call from several goroutines.
func (ix *Index) AddPrepared(pp *Prepared) error {
	if pp.fingerprint != ix.fp {
		return fmt.Errorf("search: page %s was prepared for an index with other options", pp.meta.Path)
	}
	pd := &pageData{meta: pp.meta, nsec: pp.nsec, post: pp.post, slabs: pp.slabs}
	if ix.o.SpillDir != "" {
		ix.spillOnce.Do(func() { ix.spill, ix.spillErr = newSpill(ix.o.SpillDir) })
		if ix.spillErr != nil {
			return ix.spillErr
		}
		if err := ix.spill.add(pd.post, &pd.slabs, &pd.off); err != nil {
			return err
		}
		pd.post = nil
	}
	for _, pt := range pp.parts {
		h, err := ix.write("p/", ".json", pt.data)
		if err != nil {
			return err
		}
		pd.parts = append(pd.parts, partRef{first: pt.first, hash: h})
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.paths[pp.meta.Path] {
		return fmt.Errorf("search: page %s added twice", pp.meta.Path)
	}
	ix.paths[pp.meta.Path] = true
	ix.pages = append(ix.pages, pd)
	ix.stats.Sections += pp.nsec
	return nil
}

// Close removes the index's temporary files (see Options.SpillDir). The
// index cannot be written afterwards.
func (ix *Index) Close() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.spill != nil {
		ix.spill.close()
		ix.spill = nil
		ix.spillErr = errors.New("search: index closed")
	}
}

// pageIndexer holds the buffers to index one page; it is reused from page
// to page.
type pageIndexer struct {
	tok   tokenizer
	raw   []rawTok
	units []int
	forms []string         // an amount's other forms (moneyForms)
	cjk   cjkTable         // Han and Bigram tokens by their runes
	strs  map[string]int32 // numbers, words, filters
	accs  []tokAcc
	occs  []occ
	order []int32
	byAcc []occ
	start []int32
	pos   []int32
	text  []byte // the texts of the page's tokens, one after another
	out   []byte
}

// tokAcc is a distinct token of the page.
type tokAcc struct {
	text       []byte // in pageIndexer.text; valid until the page ends
	rev        uint32 // the bit-reversed hash32 of text
	positional bool
}

// occ is one occurrence of a token.
type occ struct {
	acc, sec, pos int32
	head          bool
}

func (pi *pageIndexer) accFor(key uint64, text string, positional bool) int32 {
	var id int32
	var ok bool
	if text == "" {
		id, ok = pi.cjk.get(key)
	} else {
		id, ok = pi.strs[text]
	}
	if ok {
		return id
	}
	id = int32(len(pi.accs))
	off := len(pi.text)
	if text == "" {
		pi.text = utf8.AppendRune(pi.text, rune(key&0x1fffff))
		if key>>63 == 1 {
			pi.text = utf8.AppendRune(pi.text, rune(key>>21&0x1fffff))
		}
		pi.cjk.put(key, id)
	} else {
		pi.text = append(pi.text, text...)
		pi.strs[text] = id
	}
	// The text arena may move as it grows: keep offsets, fix slices later.
	pi.accs = append(pi.accs, tokAcc{text: pi.text[off:len(pi.text):len(pi.text)], positional: positional})
	return id
}

// cjkTable maps the key of a Han or Bigram token (never 0: it holds a
// rune of a CJK character) to its accumulator. Every CJK character and
// pair of every page is looked up in it, and an open-addressed table of
// machine words does that in about half the time of a Go map.
type cjkTable struct {
	keys  []uint64 // 0 marks a free slot; a power of two long
	vals  []int32
	n     int
	shift uint // 64 - log2(len(keys))
}

// slot is where key's probe starts: Fibonacci hashing.
func (t *cjkTable) slot(key uint64) int { return int((key * 0x9e3779b97f4a7c15) >> t.shift) }

func (t *cjkTable) get(key uint64) (int32, bool) {
	if t.n == 0 {
		return 0, false
	}
	mask := len(t.keys) - 1
	for i := t.slot(key); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case key:
			return t.vals[i], true
		case 0:
			return 0, false
		}
	}
}

// put adds key, which must not be in t.
func (t *cjkTable) put(key uint64, v int32) {
	if (t.n+1)*4 > len(t.keys)*3 {
		t.grow()
	}
	mask := len(t.keys) - 1
	i := t.slot(key)
	for t.keys[i] != 0 {
		i = (i + 1) & mask
	}
	t.keys[i], t.vals[i] = key, v
	t.n++
}

func (t *cjkTable) grow() {
	keys, vals := t.keys, t.vals
	size := max(2*len(keys), 1024)
	t.keys, t.vals, t.n = make([]uint64, size), make([]int32, size), 0
	t.shift = uint(64 - bits.TrailingZeros(uint(size)))
	for i, k := range keys {
		if k != 0 {
			t.put(k, vals[i])
		}
	}
}

// reset empties t, keeping its room for the next page.
func (t *cjkTable) reset() {
	if t.n > 0 {
		clear(t.keys)
		t.n = 0
	}
}

// add records an occurrence of a raw token.
func (pi *pageIndexer) add(t *rawTok, sec int, head bool) {
	var id int32
	switch t.kind {
	case Han:
		id = pi.accFor(uint64(t.a), "", false)
	case Bigram:
		id = pi.accFor(1<<63|uint64(t.b)<<21|uint64(t.a), "", true)
	default:
		id = pi.accFor(0, t.text, true)
	}
	pi.occs = append(pi.occs, occ{acc: id, sec: int32(sec), pos: t.pos, head: head})
}

// addText records an occurrence of a token given by its text.
func (pi *pageIndexer) addText(text string, kind Kind, sec int, pos int32, head bool) {
	rs := []rune(text)
	t := rawTok{kind: kind, pos: pos, text: text}
	switch {
	case kind == Han && len(rs) == 1:
		t.a = rs[0]
	case kind == Bigram && len(rs) == 2:
		t.a, t.b = rs[0], rs[1]
	case kind == Han || kind == Bigram:
		return
	}
	if kind == Number || kind == Word {
		t.text = text
	} else {
		t.text = ""
	}
	pi.add(&t, sec, head)
}

// index tokenizes the sections of a page and encodes its postings:
//
//	per token, by slab (the top byte of the bit-reversed hash32 of its
//	text; the merge computes the hash again rather than keep it here):
//	  uvarint len, text
//	  uvarint number of entries
//	  per entry: uvarint section, then the entry as appendEntry writes it
//
// slabs receives where each of the 256 slabs (the top 8 bits of the
// reversed hash) starts, and slabs[256] the end.
func (pi *pageIndexer) index(ix *Index, p Page, secs []Section, slabs *[257]int32) []byte {
	if pi.strs == nil {
		pi.strs = map[string]int32{}
	}
	pi.cjk.reset()
	clear(pi.strs)
	pi.accs, pi.occs, pi.text = pi.accs[:0], pi.occs[:0], pi.text[:0]
	for si, sec := range secs {
		pi.raw = pi.tok.scan(pi.raw[:0], sec.Text)
		raw := pi.raw
		// Amounts in table cells take their table's unit.
		if len(sec.Money) > 0 {
			m := 0
			for i := range raw {
				t := &raw[i]
				for m < len(sec.Money) && int32(sec.Money[m].End) <= t.start {
					m++
				}
				if t.kind == Number && m < len(sec.Money) && t.start >= int32(sec.Money[m].Start) && t.end <= int32(sec.Money[m].End) {
					t.unit = sec.Money[m].Unit
				}
			}
		}
		body := int32(sec.Body)
		for i := range raw {
			t := &raw[i]
			head := t.end <= body
			pi.add(t, si, head)
			if t.kind == Number && t.unit != "" {
				pi.forms = moneyForms(pi.forms, t.text, t.unit)
				for _, f := range pi.forms {
					pi.addText(f, Number, si, t.pos, head)
				}
			}
		}
		if ix.syn.active() {
			pi.units = ix.syn.expand(raw, pi.units, func(t *rawTok) bool { return t.end <= body }, func(t rawTok, h bool) {
				pi.add(&t, si, h)
			})
		}
	}
	if p.Year > 0 {
		pi.addText(FilterYear+strconv.Itoa(p.Year), Word, 0, 0, false)
	}
	if p.Kind != "" {
		pi.addText(FilterKind+p.Kind, Word, 0, 0, false)
	}
	if p.BodySlug != "" {
		pi.addText(FilterBody+p.BodySlug, Word, 0, 0, false)
	}
	// Fix the token texts (the arena may have moved) and hash them.
	off := 0
	for i := range pi.accs {
		a := &pi.accs[i]
		n := len(a.text)
		a.text = pi.text[off : off+n : off+n]
		off += n
		a.rev = bits.Reverse32(hash32b(a.text))
		if len(a.text) > 0 && a.text[0] == 1 { // a filter: no positions
			a.positional = false
		}
	}
	// Group the occurrences by token (a counting sort keeps their order).
	na := len(pi.accs)
	pi.start = slices.Grow(pi.start[:0], na+1)[:na+1]
	clear(pi.start)
	for _, o := range pi.occs {
		pi.start[o.acc+1]++
	}
	for i := 1; i <= na; i++ {
		pi.start[i] += pi.start[i-1]
	}
	pi.byAcc = slices.Grow(pi.byAcc[:0], len(pi.occs))[:len(pi.occs)]
	fill := slices.Clone(pi.start[:na])
	for _, o := range pi.occs {
		pi.byAcc[fill[o.acc]] = o
		fill[o.acc]++
	}
	// Order the tokens by slab (the top byte of the reversed hash), which
	// is all the merge needs; within a slab, in the order they first
	// occur.
	var count [257]int32
	for i := range na {
		count[pi.accs[i].rev>>24+1]++
	}
	for i := 1; i <= 256; i++ {
		count[i] += count[i-1]
	}
	pi.order = slices.Grow(pi.order[:0], na)[:na]
	for i := range na {
		s := pi.accs[i].rev >> 24
		pi.order[count[s]] = int32(i)
		count[s]++
	}
	b := pi.out[:0]
	slab := 0
	for _, id := range pi.order {
		a := &pi.accs[id]
		for s := int(a.rev >> 24); slab <= s; slab++ {
			slabs[slab] = int32(len(b))
		}
		b = binary.AppendUvarint(b, uint64(len(a.text)))
		b = append(b, a.text...)
		occs := pi.byAcc[pi.start[id]:pi.start[id+1]]
		entries := 0
		for i := 0; i < len(occs); {
			j := i + 1
			for j < len(occs) && occs[j].sec == occs[i].sec {
				j++
			}
			entries++
			i = j
		}
		b = binary.AppendUvarint(b, uint64(entries))
		for i := 0; i < len(occs); {
			j := i
			e := entry{sec: occs[i].sec, positional: a.positional}
			pi.pos = pi.pos[:0]
			for j < len(occs) && occs[j].sec == occs[i].sec {
				e.tf++
				e.heading = e.heading || occs[j].head
				pi.pos = append(pi.pos, occs[j].pos)
				j++
			}
			e.pos = pi.pos
			b = binary.AppendUvarint(b, uint64(e.sec))
			b = appendEntry(b, e)
			i = j
		}
	}
	for ; slab <= 256; slab++ {
		slabs[slab] = int32(len(b))
	}
	pi.out = b
	return bytes.Clone(b)
}

type entry struct {
	sec        int32
	tf         int32
	heading    bool
	positional bool
	pos        []int32
}

// appendEntry appends the meta and the positions of one posting:
// meta = tf<<2 | positional<<1 | heading, then for a positional token its
// tf positions, each as the difference from the one before (the first from
// 0). Positions are sorted and unique, and tf is their number.
func appendEntry(b []byte, e entry) []byte {
	if !e.positional {
		return binary.AppendUvarint(b, encodeMeta(int(e.tf), false, e.heading))
	}
	if !slices.IsSorted(e.pos) {
		slices.Sort(e.pos)
	}
	pos := slices.Compact(e.pos)
	b = binary.AppendUvarint(b, encodeMeta(len(pos), true, e.heading))
	prev := int32(0)
	for _, p := range pos {
		b = binary.AppendUvarint(b, uint64(p-prev))
		prev = p
	}
	return b
}

func encodeMeta(tf int, positional, heading bool) uint64 {
	m := uint64(tf) << 2
	if positional {
		m |= 2
	}
	if heading {
		m |= 1
	}
	return m
}

// hash32 is FNV-1a over the UTF-8 bytes of s: the client computes it to
// find a token's bucket.
func hash32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

func hash32b(s []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range s {
		h ^= uint32(c)
		h *= 16777619
	}
	return h
}

// part is the JSON of a part of a page: the page's description, its table
// of contents, and the text of some of its sections.
type part struct {
	Path    string   `json:"p"`
	Title   string   `json:"t"`
	Body    string   `json:"b,omitempty"`
	Year    int      `json:"y,omitempty"`
	Kind    string   `json:"k,omitempty"`
	Example bool     `json:"x,omitempty"`
	TOC     [][3]any `json:"toc"` // [level, anchor, title] of every section
	First   int      `json:"f"`   // the first section whose text follows
	Text    []string `json:"s"`   // the text after the title of sections First…
}

// prepareParts makes the parts of the page's text: about PartBytes each,
// consecutive sections together.
func (ix *Index) prepareParts(p Page, secs []Section) ([]preparedPart, error) {
	toc := make([][3]any, len(secs))
	for i, s := range secs {
		toc[i] = [3]any{s.Level, s.Anchor, s.Title}
	}
	var parts []preparedPart
	for first := 0; first < len(secs); {
		pt := part{Path: p.Path, Title: p.Title, Body: p.Body, Year: p.Year, Kind: p.KindName, Example: p.Example, TOC: toc, First: first}
		size := 0
		i := first
		for i < len(secs) {
			body := clip(strings.TrimSpace(secs[i].Text[secs[i].Body:]), ix.o.PartBytes)
			if i > first && size+len(body) > ix.o.PartBytes {
				break
			}
			pt.Text = append(pt.Text, body)
			size += len(body)
			i++
		}
		data, err := marshal(pt)
		if err != nil {
			return nil, err
		}
		parts = append(parts, preparedPart{first: first, data: data})
		first = i
	}
	return parts, nil
}

// clip cuts s to at most n bytes at a character boundary, marking the cut
// with an ellipsis: a result's snippet comes from the start of a section's
// text, and a section longer than a part (a huge table) would make every
// result in it costly to show.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// marshal encodes v as JSON without escaping <, > and &, which the client
// reads as data, never as HTML.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

var b32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// fileName is the name of an index file with content hash h: kind is the
// folder of its kind ("p/", "t/", …) or a prefix ("index.").
func (ix *Index) fileName(kind string, h [8]byte, ext string) string {
	return path.Join(ix.o.Dir, kind+b32.EncodeToString(h[:])+ext)
}

// write writes data under its content hash and returns the hash.
func (ix *Index) write(kind, ext string, data []byte) ([8]byte, error) {
	sum := sha256.Sum256(data)
	var h [8]byte
	copy(h[:], sum[:])
	name := ix.fileName(kind, h, ext)
	ix.mu.Lock()
	prev, seen := ix.files[name]
	if !seen {
		ix.files[name] = sum[8:16]
		ix.stats.Files++
		ix.stats.Bytes += int64(len(data))
		switch kind {
		case "p/":
			ix.stats.Parts++
			ix.stats.PartBytes += int64(len(data))
		case "t/":
			ix.stats.Buckets++
			ix.stats.PostingBytes += int64(len(data))
		case "b/":
			ix.stats.Blocks++
			ix.stats.PostingBytes += int64(len(data))
		}
	}
	ix.mu.Unlock()
	if seen {
		if !bytes.Equal(prev, sum[8:16]) {
			return h, fmt.Errorf("search: two index files hash to %s", name)
		}
		return h, nil
	}
	return h, ix.sink.WriteFile(name, data)
}
