package content

import (
	"crypto/sha256"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
)

// Digest identifies the bytes of a set of files: equal digests mean the
// same files with the same content.
type Digest [sha256.Size]byte

// A Loader loads a site folder and, told which files changed since, loads it
// again reading only the parts those files belong to: site.toml, the
// glossary, the catalogue (which every body depends on), or one body
// folder. Every load returns what [Load] would return for the files as they
// are now, as long as every change since the previous load was reported
// through [Loader.Changed] or [Loader.ChangedAll].
//
// The model of a part that did not change is shared between loads, so
// callers must treat a loaded site as read-only. A Loader is not safe for
// concurrent use.
type Loader struct {
	fsys fs.FS

	all      bool // everything is stale
	config   *part[fiscal.Config]
	glossary *part[[]*fiscal.Term]
	catalog  *part[catalogs]
	// catalogStale says a file of content/catalog changed: the catalogue
	// is read again, and the bodies too only if it read other bytes
	// (checks.toml, which only the checks read, is in the folder too).
	catalogStale bool
	bodies       map[string]*part[*fiscal.Body] // by folder name below content/
	stale        map[string]bool                // body folder names
	// skeleton loads bodies without their disclosures (LoadSkeleton).
	skeleton bool
}

// catalogs are the site's catalogues: table kinds and classification
// codes, built in and extended by content/catalog/.
type catalogs struct {
	tables *fiscal.Catalog
	codes  *fiscal.Classification
}

// part is one separately loaded piece of the site with what its loading
// found and the digests of the folders whose files it read.
type part[T any] struct {
	value   T
	diags   diag.List
	digests map[string]Digest // by folder
	files   map[string]Digest // by file
	all     Digest            // of every file (of the folder digests)
}

// NewLoader returns a Loader of the site folder fsys; its first Load reads
// everything.
func NewLoader(fsys fs.FS) *Loader {
	return &Loader{fsys: fsys, all: true}
}

// Changed reports that the files or folders at paths (slash-separated,
// relative to the site folder) were created, written, renamed or removed.
// Paths outside content/ and files content/ does not read (README.md) are
// ignored.
func (l *Loader) Changed(paths ...string) {
	for _, p := range paths {
		p = path.Clean(p)
		if p == "." || p == Dir {
			l.ChangedAll()
			return
		}
		rest, ok := strings.CutPrefix(p, Dir+"/")
		if !ok {
			continue
		}
		first, _, nested := strings.Cut(rest, "/")
		switch {
		case first == "catalog":
			l.catalogStale = true
		case !nested && first == "site.toml":
			l.config = nil
		case !nested && first == "glossary.toml":
			l.glossary = nil
		default:
			// A file inside a body folder, or the folder itself. (A plain
			// file directly in content/, like README.md, names no body
			// folder, so marking it is harmless.)
			if l.stale == nil {
				l.stale = map[string]bool{}
			}
			l.stale[first] = true
		}
	}
}

// ChangedAll forgets everything, so the next Load reads the whole site: for
// when changes may have been missed.
func (l *Loader) ChangedAll() { l.all = true }

// Load loads the site, reading again what changed since the previous load.
// Like [Load], it returns the site and every problem found; the site is nil
// only when nothing could be read at all.
func (l *Loader) Load() (*fiscal.Site, diag.List) {
	if l.all {
		l.config, l.glossary, l.catalog, l.bodies, l.stale = nil, nil, nil, nil, nil
		l.all = false
	}
	var diags diag.List
	if _, err := fs.Stat(l.fsys, Dir); err != nil {
		// Everything must be read again once the folder is back.
		l.all = true
		diags.Errorf(Dir, 0, 0, "content.missing", "找不到 content 文件夹：请在站点文件夹中运行，或用 --src 指定站点文件夹")
		return nil, diags
	}
	if l.config == nil {
		l.config = loadPart(l.fsys, loadConfig)
	}
	if l.catalog == nil || l.catalogStale {
		fresh := loadPart(l.fsys, func(fsys fs.FS, diags *diag.List) catalogs {
			files := []fiscal.CatalogFile{fiscal.BuiltinCatalog()}
			if data, ok := readText(fsys, Dir+"/catalog/tables.toml", diags, true); ok {
				files = append(files, fiscal.CatalogFile{Name: Dir + "/catalog/tables.toml", Data: data})
			}
			classes := []fiscal.CatalogFile{fiscal.BuiltinClassification()}
			if data, ok := readText(fsys, Dir+"/catalog/classification.toml", diags, true); ok {
				classes = append(classes, fiscal.CatalogFile{Name: Dir + "/catalog/classification.toml", Data: data})
			}
			return catalogs{fiscal.LoadCatalog(diags, files...), fiscal.LoadClassification(diags, classes...)}
		})
		// The same bytes give the same catalogue: the old one is kept, and
		// with it the bodies, whose tables point at its kinds.
		if l.catalog == nil || fresh.all != l.catalog.all {
			l.catalog = fresh
			l.bodies = nil
		}
		l.catalogStale = false
	}
	if l.glossary == nil {
		l.glossary = loadPart(l.fsys, func(fsys fs.FS, diags *diag.List) []*fiscal.Term {
			return loadGlossary(fsys, Dir+"/glossary.toml", "term", diags)
		})
	}
	site := &fiscal.Site{Config: l.config.value, Catalog: l.catalog.value.tables,
		Classification: l.catalog.value.codes, Glossary: l.glossary.value}
	diags = append(diags, l.config.diags...)
	diags = append(diags, l.catalog.diags...)
	diags = append(diags, l.glossary.diags...)

	entries, err := fs.ReadDir(l.fsys, Dir)
	if err != nil {
		l.all = true
		diags.Errorf(Dir, 0, 0, "content.read", "无法读取 content 文件夹：%v", err)
		diags.Sort()
		return site, diags
	}
	var names []string
	for _, e := range entries {
		if e.Name() == "catalog" || strings.HasPrefix(e.Name(), ".") || !isDir(l.fsys, Dir, e) {
			continue
		}
		names = append(names, e.Name())
	}
	bodies := make(map[string]*part[*fiscal.Body], len(names))
	var todo []string
	for _, name := range names {
		if p := l.bodies[name]; p != nil && !l.stale[name] {
			bodies[name] = p
		} else {
			todo = append(todo, name)
		}
	}
	// Bodies load in parallel, each into its own part; merging in folder
	// order keeps the result independent of scheduling.
	loaded := make([]*part[*fiscal.Body], len(todo))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, name := range todo {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			loaded[i] = loadPart(l.fsys, func(fsys fs.FS, diags *diag.List) *fiscal.Body {
				b := loadBody(fsys, Dir+"/"+name, diags)
				if b != nil && !l.skeleton { // a skeleton wants only body.toml
					loadDisclosures(fsys, b, Dir+"/"+name, site.Catalog, diags)
				}
				return b
			})
		})
	}
	wg.Wait()
	for i, name := range todo {
		bodies[name] = loaded[i]
	}
	l.bodies, l.stale = bodies, nil
	for _, name := range names {
		p := bodies[name]
		diags = append(diags, p.diags...)
		if p.value != nil {
			site.Bodies = append(site.Bodies, p.value)
		}
	}
	diags.Sort()
	return site, diags
}

// Digest returns the digest of the files the last Load read directly in
// folder dir (slash-separated, relative to the site folder), which must be
// content/catalog or a folder inside a body folder: for a body folder its
// body.toml, for a disclosure folder its data.toml and sections. Two loads
// that give a folder the same digest read the same bytes there. A folder
// nothing was read from has the zero Digest.
func (l *Loader) Digest(dir string) Digest {
	if dir == Dir+"/catalog" {
		if l.catalog == nil {
			return Digest{}
		}
		return l.catalog.digests[dir]
	}
	rest, ok := strings.CutPrefix(dir, Dir+"/")
	if !ok {
		return Digest{}
	}
	first, _, _ := strings.Cut(rest, "/")
	if p := l.bodies[first]; p != nil {
		return p.digests[dir]
	}
	return Digest{}
}

// BodyDigest returns a digest of every file of body folder slug (below
// content/) as the last Load read it, or the zero Digest for no such body:
// while it stays the same, nothing in the folder changed.
func (l *Loader) BodyDigest(slug string) Digest {
	if p := l.bodies[slug]; p != nil {
		return p.all
	}
	return Digest{}
}

// FileDigest returns the digest of file (slash-separated, relative to the
// site folder) as the last Load read it: site.toml, glossary.toml, a file
// of content/catalog or of a body folder. A file that was not read has the
// zero Digest.
func (l *Loader) FileDigest(file string) Digest {
	rest, ok := strings.CutPrefix(file, Dir+"/")
	if !ok {
		return Digest{}
	}
	first, _, nested := strings.Cut(rest, "/")
	switch {
	case first == "catalog":
		if l.catalog != nil {
			return l.catalog.files[file]
		}
	case !nested && first == "site.toml":
		if l.config != nil {
			return l.config.files[file]
		}
	case !nested && first == "glossary.toml":
		if l.glossary != nil {
			return l.glossary.files[file]
		}
	case nested:
		if p := l.bodies[first]; p != nil {
			return p.files[file]
		}
	}
	return Digest{}
}

// loadPart runs load on a view of fsys that records every file it reads.
func loadPart[T any](fsys fs.FS, load func(fs.FS, *diag.List) T) *part[T] {
	rec := &recorder{FS: fsys, files: map[string]Digest{}}
	p := &part[T]{}
	p.value = load(rec, &p.diags)
	p.digests = rec.digests()
	p.files = rec.files
	// The folder digests cover every file: digest them, not the files
	// again.
	h := sha256.New()
	for _, dir := range slices.Sorted(maps.Keys(p.digests)) {
		d := p.digests[dir]
		h.Write([]byte(dir))
		h.Write([]byte{0})
		h.Write(d[:])
	}
	h.Sum(p.all[:0])
	return p
}

// recorder is a file system that notes the digest of every file read
// through it.
type recorder struct {
	fs.FS
	mu    sync.Mutex
	files map[string]Digest
}

var _ fs.ReadFileFS = (*recorder)(nil)

// ReadFile implements fs.ReadFileFS.
func (r *recorder) ReadFile(name string) ([]byte, error) {
	data, err := fs.ReadFile(r.FS, name)
	if err == nil {
		r.mu.Lock()
		r.files[name] = sha256.Sum256(data)
		r.mu.Unlock()
	}
	return data, err
}

// ReadDir implements fs.ReadDirFS.
func (r *recorder) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(r.FS, name) }

// Stat implements fs.StatFS.
func (r *recorder) Stat(name string) (fs.FileInfo, error) { return fs.Stat(r.FS, name) }

// digests combines the files read in each folder, in name order.
func (r *recorder) digests() map[string]Digest {
	byDir := map[string][]string{}
	for name := range r.files {
		dir := path.Dir(name)
		byDir[dir] = append(byDir[dir], name)
	}
	out := make(map[string]Digest, len(byDir))
	for dir, names := range byDir {
		slices.Sort(names)
		h := sha256.New()
		for _, name := range names {
			d := r.files[name]
			h.Write([]byte(name))
			h.Write([]byte{0})
			h.Write(d[:])
		}
		out[dir] = Digest(h.Sum(nil))
	}
	return out
}
