package search

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Reader reads an index that [Index.Write] wrote. The site's search page
// uses static/js/search.js; Reader is the same lookup in Go, for tests and
// tools. It reads whole posting lists, so it is meant for small sites.
type Reader struct {
	fsys fs.FS
	dir  string
	m    Manifest
}

// Open reads the manifest at name (search/index.<hash>.json) in fsys.
func Open(fsys fs.FS, name string) (*Reader, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	r := &Reader{fsys: fsys, dir: path.Dir(name)}
	if err := json.Unmarshal(data, &r.m); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if r.m.Version != 1 {
		return nil, fmt.Errorf("%s: version %d, want 1", name, r.m.Version)
	}
	return r, nil
}

// Manifest returns the index's manifest.
func (r *Reader) Manifest() Manifest { return r.m }

// Posting is one document of a token's posting list.
type Posting struct {
	Doc     uint64
	TF      int
	Heading bool
	// Pos holds the token's positions in the document; nil for a token
	// whose positions are not kept (a single CJK character, a filter).
	Pos []int
}

// Page returns the page of a document number.
func (r *Reader) Page(doc uint64) int { return int(doc >> r.m.Shift) }

// Section returns the section, in its page, of a document number.
func (r *Reader) Section(doc uint64) int { return int(doc & (1<<r.m.Shift - 1)) }

func (r *Reader) read(kind string, h []byte, ext string) ([]byte, error) {
	return fs.ReadFile(r.fsys, path.Join(r.dir, kind+b32.EncodeToString(h)+ext))
}

// entry returns the directory file that holds entry i of a table, and the
// entry's place in it.
func (r *Reader) entry(t Table, i int) ([]byte, int, error) {
	d := i / t.Per
	name := t.Names[d*13 : d*13+13]
	data, err := fs.ReadFile(r.fsys, path.Join(r.dir, "d", name+".bin"))
	return data, i % t.Per, err
}

// Postings returns the posting list of token, whole.
func (r *Reader) Postings(token string) ([]Posting, error) {
	b := int(hash32(token)) & (r.m.Buckets - 1)
	dir, at, err := r.entry(r.m.BucketDirs, b)
	if err != nil {
		return nil, err
	}
	bucket, err := r.read("t/", dir[at*8:at*8+8], ".bin")
	if err != nil {
		return nil, err
	}
	for len(bucket) > 0 {
		n, w := binary.Uvarint(bucket)
		bucket = bucket[w:]
		text := string(bucket[:n])
		bucket = bucket[n:]
		_, w = binary.Uvarint(bucket) // df
		bucket = bucket[w:]
		mode := bucket[0]
		bucket = bucket[1:]
		var data [][]byte
		if mode == 0 {
			l, w := binary.Uvarint(bucket)
			data = append(data, bucket[w:w+int(l)])
			bucket = bucket[w+int(l):]
		} else {
			nb, w := binary.Uvarint(bucket)
			bucket = bucket[w:]
			for range nb {
				for range 3 {
					_, w := binary.Uvarint(bucket)
					bucket = bucket[w:]
				}
				if text == token {
					blk, err := r.read("b/", bucket[:8], ".bin")
					if err != nil {
						return nil, err
					}
					data = append(data, blk)
				}
				bucket = bucket[8:]
			}
		}
		if text != token {
			continue
		}
		var out []Posting
		for _, d := range data {
			out = appendPostings(out, d)
		}
		return out, nil
	}
	return nil, nil
}

func appendPostings(out []Posting, b []byte) []Posting {
	var doc uint64
	for len(b) > 0 {
		d, w := binary.Uvarint(b)
		b = b[w:]
		doc += d
		meta, w := binary.Uvarint(b)
		b = b[w:]
		p := Posting{Doc: doc, TF: int(meta >> 2), Heading: meta&1 != 0}
		if meta&2 != 0 {
			pos := 0
			for range meta >> 2 {
				v, w := binary.Uvarint(b)
				b = b[w:]
				pos += int(v)
				p.Pos = append(p.Pos, pos)
			}
		}
		out = append(out, p)
	}
	return out
}

// PageInfo is a page as the index describes it.
type PageInfo struct {
	Path, Title, Body, Kind string
	Year                    int
	Example                 bool
	// Sections lists the page's sections: level, anchor, title, and the
	// text after the title.
	Sections []SectionInfo
}

// SectionInfo is a section of a PageInfo.
type SectionInfo struct {
	Level         int
	Anchor, Title string
	Text          string
}

// PageInfo reads the description and text of page n.
func (r *Reader) PageInfo(n int) (PageInfo, error) {
	dir, at, err := r.entry(r.m.PageDirs, n)
	if err != nil {
		return PageInfo{}, err
	}
	var hashes [][]byte
	for i := 0; ; i++ {
		parts, w := binary.Uvarint(dir)
		dir = dir[w:]
		for range parts {
			_, w := binary.Uvarint(dir)
			if i == at {
				hashes = append(hashes, dir[w:w+8])
			}
			dir = dir[w+8:]
		}
		if i == at {
			break
		}
	}
	var info PageInfo
	for _, h := range hashes {
		data, err := r.read("p/", h, ".json")
		if err != nil {
			return info, err
		}
		var pt struct {
			Path    string   `json:"p"`
			Title   string   `json:"t"`
			Body    string   `json:"b"`
			Year    int      `json:"y"`
			Kind    string   `json:"k"`
			Example bool     `json:"x"`
			TOC     [][3]any `json:"toc"`
			First   int      `json:"f"`
			Text    []string `json:"s"`
		}
		if err := json.Unmarshal(data, &pt); err != nil {
			return info, err
		}
		if info.Sections == nil {
			info = PageInfo{Path: pt.Path, Title: pt.Title, Body: pt.Body, Year: pt.Year, Kind: pt.Kind, Example: pt.Example}
			for _, t := range pt.TOC {
				lvl, _ := t[0].(float64)
				a, _ := t[1].(string)
				ti, _ := t[2].(string)
				info.Sections = append(info.Sections, SectionInfo{Level: int(lvl), Anchor: a, Title: ti})
			}
		}
		for i, s := range pt.Text {
			info.Sections[pt.First+i].Text = s
		}
	}
	return info, nil
}

// Hit is a document a query matches.
type Hit struct {
	Doc uint64
	// Exact: every group matches exactly in the document (not through the
	// page's first section).
	Exact bool
}

// Search returns the documents that match q, in document order: a
// document matches when every group of the query matches in it, or in the
// first section of its page (the page's title and description), and at
// least one group matches in the document itself. Filters are the hidden
// tokens FilterYear+"2024" and the like, matched at the page level.
func (r *Reader) Search(q string, filters ...string) ([]Hit, error) {
	groups := ParseQuery(q)
	if len(groups) == 0 {
		return nil, nil
	}
	lists := map[string]map[uint64]Posting{}
	for _, g := range groups {
		for _, t := range g.Terms {
			if lists[t.Text] != nil {
				continue
			}
			ps, err := r.Postings(t.Text)
			if err != nil {
				return nil, err
			}
			m := map[uint64]Posting{}
			for _, p := range ps {
				m[p.Doc] = p
			}
			lists[t.Text] = m
		}
	}
	pageOK := func(uint64) bool { return true }
	if len(filters) > 0 {
		var sets []map[uint64]Posting
		for _, f := range filters {
			ps, err := r.Postings(f)
			if err != nil {
				return nil, err
			}
			m := map[uint64]Posting{}
			for _, p := range ps {
				m[p.Doc] = p
			}
			sets = append(sets, m)
		}
		pageOK = func(doc uint64) bool {
			head := doc >> r.m.Shift << r.m.Shift
			for _, s := range sets {
				if _, ok := s[head]; !ok {
					return false
				}
			}
			return true
		}
	}
	inDoc := func(g Group, doc uint64) (match, exact bool) {
		for _, t := range g.Terms {
			if _, ok := lists[t.Text][doc]; !ok {
				return false, false
			}
		}
		return true, exactIn(g.Terms, doc, lists)
	}
	cands := map[uint64]bool{}
	for _, l := range lists {
		for d := range l {
			cands[d] = true
		}
	}
	var hits []Hit
	for doc := range cands {
		if !pageOK(doc) {
			continue
		}
		head := doc >> r.m.Shift << r.m.Shift
		own, exact := false, true
		ok := true
		for _, g := range groups {
			m, e := inDoc(g, doc)
			if m {
				own = true
				exact = exact && e
				continue
			}
			exact = false
			if hm, _ := inDoc(g, head); !hm {
				ok = false
				break
			}
		}
		if ok && own {
			hits = append(hits, Hit{Doc: doc, Exact: exact})
		}
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		switch {
		case a.Doc < b.Doc:
			return -1
		case a.Doc > b.Doc:
			return 1
		}
		return 0
	})
	return hits, nil
}

// exactIn reports whether the positional terms stand in doc at their
// relative positions from one base.
func exactIn(terms []Term, doc uint64, lists map[string]map[uint64]Posting) bool {
	var first *Term
	for i := range terms {
		if terms[i].Positional {
			first = &terms[i]
			break
		}
	}
	if first == nil {
		return true
	}
next:
	for _, p := range lists[first.Text][doc].Pos {
		base := p - first.Rel
		for _, t := range terms {
			if t.Positional && !slices.Contains(lists[t.Text][doc].Pos, base+t.Rel) {
				continue next
			}
		}
		return true
	}
	return false
}

// String describes a hit for test messages: page path#anchor.
func (r *Reader) String(doc uint64) string {
	info, err := r.PageInfo(r.Page(doc))
	if err != nil {
		return err.Error()
	}
	s := r.Section(doc)
	if s >= len(info.Sections) {
		return info.Path + "#?"
	}
	return strings.TrimSuffix(info.Path+"#"+info.Sections[s].Anchor, "#")
}
