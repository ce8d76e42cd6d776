package publish

import (
	"fmt"
	"maps"
	"slices"
	"sync"
)

// A Keeper is a Sink that keeps its files from one build to the next, as
// the preview keeps the site it serves. A Stage that carries the previous
// build over ([Options.Carry]) starts from that build's pages and the
// files written with them, and writes to a Keeper only what changes: the
// pages and files written again ([Stage.Drop] first) and those written on
// every build (static files, robots.txt, …), then removes those that are
// gone. A Keeper must then hold the files of the carried build as it
// finished; a Stage that does not carry one over clears it first.
type Keeper interface {
	Sink
	// Remove removes a file of the previous build.
	Remove(name string) error
	// Clear removes every file.
	Clear()
}

// MapKeeper is a Keeper in memory: the site the preview serves. It keeps
// the slices it is handed (a Stage never modifies them) and notes which
// files a build wrote or removed, so that only those need comparing with
// what was there before.
type MapKeeper struct {
	mu    sync.Mutex
	Files map[string][]byte
	// Touched are the names written or removed since the keeper was made,
	// unless Cleared: then every file is new.
	Touched []string
	Cleared bool
}

var _ Keeper = (*MapKeeper)(nil)

// NewMapKeeper returns a MapKeeper holding a copy of files, the last good
// build's (nil for none yet: then it starts Cleared).
func NewMapKeeper(files map[string][]byte) *MapKeeper {
	if files == nil {
		return &MapKeeper{Files: map[string][]byte{}, Cleared: true}
	}
	return &MapKeeper{Files: maps.Clone(files)}
}

// WriteFile implements Sink. A file may be written over: a Stage that
// carries a build over writes anew files the keeper holds (the Stage
// itself refuses a file written twice in one build).
func (m *MapKeeper) WriteFile(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Files[name] = data
	if !m.Cleared {
		m.Touched = append(m.Touched, name)
	}
	return nil
}

// Remove implements Keeper; removing a file that is not there is an error.
func (m *MapKeeper) Remove(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.Files[name]; !ok {
		return fmt.Errorf("publish: %s removed, but it is not there", name)
	}
	delete(m.Files, name)
	m.Touched = append(m.Touched, name)
	return nil
}

// Clear implements Keeper.
func (m *MapKeeper) Clear() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Files, m.Touched, m.Cleared = make(map[string][]byte, len(m.Files)), nil, true
}

// carried is what a Stage carrying the previous build over knows of it.
type carried struct {
	prev *Stage
	// missing are the previous build's files not in this build (yet):
	// those written on every build, and those of dropped pages.
	missing map[string]bool
	// dropped are the dropped pages, to tell whether a page written again
	// still has their ids, sitemap entry and date.
	dropped map[string]*pageRecord
	// names says a file came that the previous build's link check did
	// not know; ids that a page written again has other ids; pages that a
	// page came or has another sitemap entry or date.
	names, ids, pages bool
}

// startCarry starts the stage from o.Carry when it can (see
// Options.Carry), else clears a Keeper sink. It reports whether it did.
func (s *Stage) startCarry(sink Sink) bool {
	s.linkProblems = map[string][]problem{}
	k, keeper := sink.(Keeper)
	prev := s.o.Carry
	s.o.Carry = nil // not kept: a stage carries one build, not every build before it
	if !keeper {
		return false
	}
	if prev == nil || !prev.ok || !prev.o.KeepLinks || !s.o.KeepLinks || prev.o.BaseURL != s.o.BaseURL ||
		prev.o.Minify != s.o.Minify || prev.o.Precompress != s.o.Precompress || !prev.o.SourceDate.Equal(s.o.SourceDate) {
		k.Clear()
		return false
	}
	c := &carried{prev: prev, missing: map[string]bool{}, dropped: map[string]*pageRecord{}}
	s.carry = c
	s.gen = prev.gen + 1
	s.files = maps.Clone(prev.files)
	s.pages = maps.Clone(prev.pages)
	s.linkProblems = maps.Clone(prev.linkProblems)
	for _, name := range prev.perBuild {
		delete(s.files, name)
		c.missing[name] = true
	}
	return true
}

// written notes that the stage wrote name; linked says after the link
// check. s.mu is held.
func (c *carried) written(name string, linked bool) {
	delete(c.missing, name)
	if linked {
		return
	}
	if _, ok := c.prev.files[name]; !ok || c.prev.late[name] {
		c.names = true
	}
}

// republished notes that the stage wrote the page of rec. s.mu is held.
func (c *carried) republished(rec *pageRecord) {
	old, ok := c.dropped[rec.name]
	if !ok {
		c.pages = true
		return
	}
	delete(c.dropped, rec.name)
	if !slices.Equal(old.ids, rec.ids) {
		c.ids = true
	}
	if old.sitemap != rec.sitemap || !old.modified.Equal(rec.modified) {
		c.pages = true
	}
}

// samePages reports whether the pages are those of the previous build,
// with the same sitemap entries and dates.
func (c *carried) samePages() bool {
	return !c.pages && len(c.dropped) == 0
}

// linksChanged reports whether a link of a carried page may lead
// elsewhere than it did: a file came or went, or a page written again has
// other ids. s.mu is held.
func (c *carried) linksChanged() bool {
	if c.names || c.ids {
		return true
	}
	for name := range c.missing {
		if !c.prev.late[name] {
			return true
		}
	}
	return false
}

// Drop removes a page or a file written with one (its precompressed forms
// too) that the stage carried over from the previous build: before the
// build writes it anew, or when it is no longer part of the site. A name
// the stage did not carry, or wrote itself, is left alone. It is safe for
// concurrent use until Finish.
func (s *Stage) Drop(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.carry
	if c == nil {
		return
	}
	names := []string{name}
	for _, enc := range encodings {
		names = append(names, name+enc.ext)
	}
	for _, n := range names {
		if e, ok := s.files[n]; !ok || e.gen == s.gen {
			continue
		}
		delete(s.files, n)
		c.missing[n] = true
	}
	if rec, ok := s.pages[name]; ok && rec == c.prev.pages[name] {
		delete(s.pages, name)
		delete(s.linkProblems, name)
		c.dropped[name] = rec
	}
}

// endCarry removes from a Keeper the files of the previous build that
// this one did not write again, and lets the previous build go (a stage
// carried over must not hold every build before it).
func (s *Stage) endCarry() error {
	c := s.carry
	if c == nil {
		return nil
	}
	s.carry = nil
	k := s.sink.(Keeper)
	for _, name := range slices.Sorted(maps.Keys(c.missing)) {
		if err := k.Remove(name); err != nil {
			return err
		}
	}
	return nil
}

// Carries reports whether the stage carries the previous build over (it
// no longer does once finished).
func (s *Stage) Carries() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.carry != nil
}
