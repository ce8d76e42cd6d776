package publish

import "crypto/sha256"

// Published is an HTML page as a Stage wrote it: its final bytes, what the
// link check needs of it, and the problems found in it. A later build whose
// page would be made from the same inputs, with the same assets and
// options, hands it to its own Stage with Republish instead of checking and
// minifying the page again (disclose serve rebuilds this way).
type Published struct {
	rec  *pageRecord
	data []byte
	sum  [sha256.Size]byte // of data, for the manifest
}

// Name is the page's output name.
func (p *Published) Name() string { return p.rec.name }

// Republish writes a page as an earlier Stage published it: the same
// bytes, links (checked again by Finish, against this build's files) and
// problems. It is safe for concurrent use until Finish.
func (s *Stage) Republish(p *Published) error {
	if err := checkName(p.rec.name); err != nil {
		return err
	}
	s.mu.Lock()
	s.pages[p.rec.name] = p.rec
	if s.carry != nil {
		s.fresh = append(s.fresh, p.rec.name)
		s.carry.republished(p.rec)
	}
	s.mu.Unlock()
	return s.write(p.rec.name, p.data, entry{class: Revalidate, sum: p.sum}, true)
}

// Written is a file as WriteFile wrote it (minified, with its digest), for
// a later build to write again unchanged with Rewrite.
type Written struct {
	name string
	data []byte
	sum  [sha256.Size]byte
}

// WriteFileKept is WriteFile, and returns the file as written.
func (s *Stage) WriteFileKept(name string, data []byte) (*Written, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	out := s.minifyGenerated(name, data)
	w := &Written{name: name, data: out, sum: sha256.Sum256(out)}
	return w, s.Rewrite(w)
}

// Rewrite writes a file as an earlier Stage's WriteFileKept wrote it.
func (s *Stage) Rewrite(w *Written) error {
	return s.write(w.name, w.data, entry{class: Revalidate, sum: w.sum}, true)
}

// Name is the file's output name.
func (w *Written) Name() string { return w.name }
