package search

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// spillGroups is the number of spill files: a page's postings are cut
// into this many runs of consecutive slabs (256/spillGroups each), one run
// per file, so Write reads one file at a time and merges its slabs.
const spillGroups = 16

const slabsPerGroup = 256 / spillGroups

// spill holds the postings of added pages in temporary files instead of
// memory: a site of 10,000 disclosures has some 250 MB of them, and Write
// needs them only once every page is in.
type spill struct {
	groups [spillGroups]spillFile
}

type spillFile struct {
	mu   sync.Mutex
	f    *os.File
	w    *bufio.Writer
	size int64
	err  error
	name string // to remove on close where an open file cannot be removed
}

func newSpill(dir string) (*spill, error) {
	sp := new(spill)
	for g := range sp.groups {
		f, err := os.CreateTemp(dir, "disclose-search-*.bin")
		if err != nil {
			sp.close()
			return nil, fmt.Errorf("search: spill file: %w", err)
		}
		sf := &sp.groups[g]
		sf.f, sf.w = f, bufio.NewWriterSize(f, 256<<10)
		// Unix lets an open file be removed, and then nothing is left
		// behind even if the build is killed; elsewhere close removes it.
		if os.Remove(f.Name()) != nil {
			sf.name = f.Name()
		}
	}
	return sp, nil
}

// add appends the runs of post (cut at slabs) to the files and records
// where each went in off.
func (sp *spill) add(post []byte, slabs *[257]int32, off *[spillGroups]int64) error {
	for g := range sp.groups {
		run := post[slabs[g*slabsPerGroup]:slabs[(g+1)*slabsPerGroup]]
		sf := &sp.groups[g]
		sf.mu.Lock()
		off[g] = sf.size
		if sf.err == nil {
			_, sf.err = sf.w.Write(run)
		}
		sf.size += int64(len(run))
		err := sf.err
		sf.mu.Unlock()
		if err != nil {
			return fmt.Errorf("search: spill file: %w", err)
		}
	}
	return nil
}

// read returns the whole of file g.
func (sp *spill) read(g int) ([]byte, error) {
	sf := &sp.groups[g]
	if err := sf.w.Flush(); err != nil {
		return nil, err
	}
	b := make([]byte, sf.size)
	if _, err := sf.f.ReadAt(b, 0); err != nil && !(errors.Is(err, io.EOF) && sf.size == 0) {
		return nil, fmt.Errorf("search: spill file: %w", err)
	}
	return b, nil
}

func (sp *spill) close() {
	for g := range sp.groups {
		sf := &sp.groups[g]
		if sf.f != nil {
			sf.f.Close()
			sf.f = nil
		}
		if sf.name != "" {
			os.Remove(sf.name)
			sf.name = ""
		}
	}
}
