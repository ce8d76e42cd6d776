package generator

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"hash"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/disclose/disclose/generator/content"
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/markdown"
	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/render"
)

// A Builder builds a site again and again, as its files change, doing only
// the work a change calls for: it loads again only the parts of the content
// that changed (see [content.Loader]) and renders again only the pages
// whose inputs changed, reusing the bytes of the others. Every build writes
// the whole site to its sink, byte for byte what [Build] would write for
// the files as they are, provided every change was reported through
// [Builder.Changed] or [Builder.ChangedAll].
//
// How a page is known to be unchanged: every page has a key, a digest of
// everything it is made from, and equal keys give equal bytes. Every key
// digests what all pages share: the site settings, the catalogue, the site
// view, and the layouts the page's kind uses. A disclosure page adds the
// files of its folder, its body's body.toml and the glossary entries its
// 名词解释 lists. A list page (home, a body, the glossary) adds the
// body.toml and data.toml files its lists are made from; when those
// changed, the page data is built (which is cheap) and its digest decides
// whether the page must be rendered again, so a figure that no list shows
// renders only its own page. Whoever makes a page depend on something new
// must add it to the key (see pageJobs and keyer).
//
// The slices a Builder hands to a sink are kept for later builds and never
// modified; a sink may keep them. A Builder is not safe for concurrent use:
// builds run one at a time.
type Builder struct {
	site, theme fs.FS
	progress    func(done, total int)
	loader      *content.Loader
	// keep says to remember rendered pages for the next build.
	keep  bool
	cache map[string]*rendered // by output name
	// terms remembers the digest of each disclosure's glossary entries,
	// for as long as the glossary is unchanged (a disclosure read again is
	// a new pointer).
	terms map[*fiscal.Disclosure]termsDigest
}

type termsDigest struct {
	glossary content.Digest
	sum      [sha256.Size]byte
}

// rendered is a page as rendered for its keys.
type rendered struct {
	inputs key // digest of what the page is made from
	view   key // digest of the page data, for pages reused by view
	data   []byte
	diags  diag.List
}

type key [sha256.Size]byte

// NewBuilder returns a Builder of cfg.Site with cfg.Theme; cfg.Progress, if
// set, is called during every build. cfg.Sink is not used: each build takes
// its sink.
func NewBuilder(cfg Config) *Builder {
	return &Builder{site: cfg.Site, theme: cfg.Theme, progress: cfg.Progress,
		loader: content.NewLoader(cfg.Site), keep: true}
}

// Changed reports that the files or folders at paths (slash-separated,
// relative to the site folder) were created, written, renamed or removed
// since the previous build. Layouts and static files are read again by
// every build, so only changes under content/ matter, but reporting every
// change is correct.
func (b *Builder) Changed(paths ...string) { b.loader.Changed(paths...) }

// ChangedAll makes the next build read and render everything, as the first
// did: for when changes may have been missed.
func (b *Builder) ChangedAll() {
	b.loader.ChangedAll()
	b.cache = nil
}

// Build builds the site into sink: the files [Build] would write, in the
// same way, reusing what did not change since the previous build. The
// result also counts the pages rendered anew.
func (b *Builder) Build(ctx context.Context, sink publish.Sink) (Result, error) {
	var res Result
	site, diags := b.loader.Load()
	res.Diagnostics = diags
	if site == nil || diags.HasErrors() {
		return res, diags.Err()
	}
	res.BaseURL = site.Config.BaseURL
	theme := overlay{b.site, b.theme}
	md := markdown.New(markdown.Options{UnsafeHTML: site.Config.UnsafeHTML})
	r, ldiags := render.New(site, render.Options{Layouts: theme, Markdown: md})
	res.Diagnostics = append(res.Diagnostics, ldiags...)
	if r == nil {
		res.Diagnostics.Sort()
		return res, res.Diagnostics.Err()
	}

	jobs := pageJobs(r, site)
	var keys *keyer
	if b.keep {
		var err error
		if keys, err = newKeyer(site, r, theme, b.loader, b.terms); err != nil {
			return res, err
		}
		b.terms = keys.termsMemo
	}
	out := make([]*rendered, len(jobs))
	var (
		done     atomic.Int64
		pages    atomic.Int64
		rerender atomic.Int64
	)
	work := make(chan int)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range work {
				j := jobs[i]
				p, fresh, err := b.renderJob(j, keys)
				out[i] = p
				if fresh {
					rerender.Add(1)
				}
				if err == nil && p.data != nil {
					err = sink.WriteFile(j.name, p.data)
					pages.Add(1)
				}
				if err != nil {
					cancel(err)
				}
				if b.progress != nil {
					b.progress(int(done.Add(1)), len(jobs))
				}
			}
		})
	}
feed:
	for i := range jobs {
		select {
		case work <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	res.Pages = int(pages.Load())
	res.Rendered = int(rerender.Load())
	if b.keep {
		cache := make(map[string]*rendered, len(jobs))
		for i, p := range out {
			if p != nil && p.data != nil {
				cache[jobs[i].name] = p
			}
		}
		b.cache = cache
	}
	for _, p := range out {
		if p != nil {
			res.Diagnostics = append(res.Diagnostics, p.diags...)
		}
	}
	res.Diagnostics.Sort()
	if err := context.Cause(ctx); err != nil {
		return res, err
	}
	if res.Diagnostics.HasErrors() {
		return res, res.Diagnostics.Err()
	}
	n, err := copyStatic(theme, sink)
	res.Files = res.Pages + n
	return res, err
}

// renderJob renders the page of j, or reuses the previous build's bytes
// when its key is unchanged (keys nil: no reuse). fresh reports a page
// rendered anew; its data is nil when the page has errors.
func (b *Builder) renderJob(j job, keys *keyer) (p *rendered, fresh bool, err error) {
	var inputs, view key
	var old *rendered
	if keys != nil {
		h := keys.start(j.kind)
		j.inputs(h, keys)
		h.Sum(inputs[:0])
		if old = b.cache[j.name]; old != nil && old.inputs == inputs {
			return old, false, nil
		}
	}
	page, diags := j.page()
	if keys != nil && j.byView {
		h := keys.start(j.kind)
		if err := digestPage(h, page, diags); err != nil {
			return nil, false, err
		}
		h.Sum(view[:0])
		if old != nil && old.view == view {
			return &rendered{inputs: inputs, view: view, data: old.data, diags: old.diags}, false, nil
		}
	}
	p = &rendered{inputs: inputs, view: view, diags: diags}
	if diags.HasErrors() {
		return p, true, nil
	}
	data, err := j.r.Execute(j.kind, page)
	if err != nil {
		p.diags = append(p.diags, render.TemplateError(j.kind, err))
		return p, true, nil
	}
	p.data = data
	return p, true, nil
}

// digestPage writes the page data, less the site view every page shares,
// and its diagnostics. Page data is plain data (see render.Page), so its
// JSON form holds everything a layout can read from it.
func digestPage(h hash.Hash, p *render.Page, diags diag.List) error {
	e := json.NewEncoder(h)
	if p != nil {
		v := *p
		v.Site = nil
		if err := e.Encode(v); err != nil {
			return fmt.Errorf("page %s: %w", p.Path, err)
		}
	}
	return e.Encode(diags)
}

// keyer holds what the keys of one build start from: what all pages share
// (site settings, the site view, the catalogue, the layouts every page
// uses), each page kind's own layout, and digests several pages use.
type keyer struct {
	common [sha256.Size]byte
	kinds  map[string][sha256.Size]byte
	loader *content.Loader
	// bodies digests, per body, its body.toml and every data.toml: what
	// the lists of disclosures are made from; all digests them all.
	bodies map[*fiscal.Body][sha256.Size]byte
	all    [sha256.Size]byte
	// disclosures digests, per disclosure, what its page is made from
	// besides what all pages share (see disclosureInputs).
	disclosures map[*fiscal.Disclosure][sha256.Size]byte
	termsMemo   map[*fiscal.Disclosure]termsDigest
}

func newKeyer(site *fiscal.Site, r *render.Renderer, theme fs.FS, loader *content.Loader, memo map[*fiscal.Disclosure]termsDigest) (*keyer, error) {
	h := sha256.New()
	fmt.Fprintf(h, "config %#v\n", site.Config)
	cat := loader.Digest(content.Dir + "/catalog")
	h.Write(cat[:])
	if err := json.NewEncoder(h).Encode(r.SiteView()); err != nil {
		return nil, err
	}
	// Every layout file is shared by all pages except the page-kind files,
	// each of which only its own pages use.
	k := &keyer{kinds: map[string][sha256.Size]byte{}, loader: loader, bodies: map[*fiscal.Body][sha256.Size]byte{},
		disclosures: map[*fiscal.Disclosure][sha256.Size]byte{}, termsMemo: map[*fiscal.Disclosure]termsDigest{}}
	kindFile := map[string]string{}
	for _, kind := range render.PageKinds {
		kindFile["layouts/"+kind+".html"] = kind
	}
	var files []string
	err := fs.WalkDir(theme, "layouts", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "layouts" {
				return fs.SkipDir
			}
			return err
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("layouts: %w", err)
	}
	slices.Sort(files)
	for _, f := range files {
		data, err := fs.ReadFile(theme, f)
		if err != nil {
			return nil, fmt.Errorf("layouts: %w", err)
		}
		sum := sha256.Sum256(data)
		if kind, ok := kindFile[f]; ok {
			k.kinds[kind] = sum
			continue
		}
		fmt.Fprintf(h, "%s\n", f)
		h.Write(sum[:])
	}
	h.Sum(k.common[:0])

	glossary := loader.FileDigest(content.Dir + "/glossary.toml")
	var terms map[string][sha256.Size]byte // the site glossary's entries by name, when needed
	all := sha256.New()
	for _, b := range site.Bodies {
		bh := sha256.New()
		body := loader.Digest(content.Dir + "/" + b.Slug)
		fmt.Fprintf(bh, "%s\n", b.Slug)
		bh.Write(body[:])
		for _, d := range b.Disclosures {
			data := loader.FileDigest(d.DataFile)
			fmt.Fprintf(bh, "%s\n", d.DataFile)
			bh.Write(data[:])

			t, ok := memo[d]
			if !ok || t.glossary != glossary {
				if terms == nil {
					terms = map[string][sha256.Size]byte{}
					for _, t := range site.Glossary {
						if _, dup := terms[t.Term]; !dup {
							terms[t.Term] = termDigest(t)
						}
					}
				}
				t = termsDigest{glossary: glossary, sum: disclosureTerms(d, terms)}
			}
			k.termsMemo[d] = t
			folder := loader.Digest(path.Dir(d.DataFile))
			dh := sha256.New()
			fmt.Fprintf(dh, "%s\n", d.DataFile)
			dh.Write(body[:])
			dh.Write(folder[:])
			dh.Write(t.sum[:])
			var sum [sha256.Size]byte
			dh.Sum(sum[:0])
			k.disclosures[d] = sum
		}
		var sum [sha256.Size]byte
		bh.Sum(sum[:0])
		k.bodies[b] = sum
		all.Write(sum[:])
	}
	all.Sum(k.all[:0])
	return k, nil
}

// disclosureTerms digests the glossary entries d's 名词解释 lists: the
// disclosure's own, else the site's (terms, by name).
func disclosureTerms(d *fiscal.Disclosure, terms map[string][sha256.Size]byte) [sha256.Size]byte {
	h := sha256.New()
	for _, name := range d.Terms {
		sum, ok := terms[name]
		for _, t := range d.Glossary {
			if t.Term == name {
				sum, ok = termDigest(t), true
				break
			}
		}
		if !ok {
			fmt.Fprintf(h, "term %q missing\n", name)
			continue
		}
		h.Write(sum[:])
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

func termDigest(t *fiscal.Term) [sha256.Size]byte {
	return sha256.Sum256(fmt.Appendf(nil, "term %q %q %q %q %d %d\n", t.Term, strings.Join(t.Aliases, "\x00"), t.Definition, t.Code, t.From, t.To))
}

// start returns a hash holding the shared part of a key of a page of kind.
func (k *keyer) start(kind string) hash.Hash {
	h := sha256.New()
	h.Write(k.common[:])
	lk := k.kinds[kind]
	fmt.Fprintf(h, "%s\n", kind)
	h.Write(lk[:])
	return h
}

// disclosureInputs writes what a disclosure page is made from besides what
// every page shares: its folder's files, its body's body.toml, and the
// glossary entries its 名词解释 lists (see newKeyer).
func disclosureInputs(d *fiscal.Disclosure) func(hash.Hash, *keyer) {
	return func(h hash.Hash, k *keyer) {
		sum := k.disclosures[d]
		h.Write(sum[:])
	}
}
