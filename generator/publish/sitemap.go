package publish

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"time"
)

// sitemapMax is the most URLs one sitemap file may list (sitemaps.org).
const sitemapMax = 50000

type sitemapURL struct {
	loc     string
	lastmod time.Time
}

// writeSitemaps writes sitemap.xml, listing every page marked for it with
// its content date, or, past 50,000 pages, a sitemap index of
// sitemap-1.xml, sitemap-2.xml, ….
func (s *Stage) writeSitemaps() error {
	if c := s.carry; c != nil && c.samePages() && c.prev.sitemaps != nil {
		for _, f := range c.prev.sitemaps {
			if err := s.writeSitemap(f.Name, f.Data, false); err != nil {
				return err
			}
		}
		return nil
	}
	s.mu.Lock()
	var urls []sitemapURL
	for _, p := range s.pages {
		if !p.sitemap {
			continue
		}
		mod := p.modified
		if mod.IsZero() {
			mod = s.o.SourceDate
		}
		urls = append(urls, sitemapURL{loc: s.absURL(sitePath(p.name)), lastmod: mod})
	}
	s.mu.Unlock()
	slices.SortFunc(urls, func(a, b sitemapURL) int { return strings.Compare(a.loc, b.loc) })
	if len(urls) <= s.sitemapMax {
		return s.writeSitemap("sitemap.xml", urlset(urls), true)
	}
	var index bytes.Buffer
	index.WriteString(xml.Header + `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for i := 0; i*s.sitemapMax < len(urls); i++ {
		part := urls[i*s.sitemapMax : min((i+1)*s.sitemapMax, len(urls))]
		name := fmt.Sprintf("sitemap-%d.xml", i+1)
		if err := s.writeSitemap(name, urlset(part), true); err != nil {
			return err
		}
		var latest time.Time
		for _, u := range part {
			if u.lastmod.After(latest) {
				latest = u.lastmod
			}
		}
		index.WriteString("<sitemap><loc>")
		xml.EscapeText(&index, []byte(s.absURL(name)))
		index.WriteString("</loc>")
		if !latest.IsZero() {
			index.WriteString("<lastmod>" + latest.UTC().Format("2006-01-02") + "</lastmod>")
		}
		index.WriteString("</sitemap>\n")
	}
	index.WriteString("</sitemapindex>\n")
	return s.writeSitemap("sitemap.xml", index.Bytes(), true)
}

// writeSitemap writes a sitemap file, minified unless it is already (one
// the previous build wrote, carried over), and keeps it for a later stage
// to carry over.
func (s *Stage) writeSitemap(name string, data []byte, minify bool) error {
	if minify {
		data = s.minify(name, data)
	}
	s.mu.Lock()
	s.sitemaps = append(s.sitemaps, File{Name: name, Data: data})
	s.mu.Unlock()
	return s.write(name, data, entry{class: Revalidate}, false)
}

func urlset(urls []sitemapURL) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, u := range urls {
		b.WriteString("<url><loc>")
		xml.EscapeText(&b, []byte(u.loc))
		b.WriteString("</loc>")
		if !u.lastmod.IsZero() {
			b.WriteString("<lastmod>" + u.lastmod.UTC().Format("2006-01-02") + "</lastmod>")
		}
		b.WriteString("</url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// sitemapPart reports whether name is one of the sitemaps a sitemap index
// lists: sitemap-1.xml, sitemap-2.xml, ….
func sitemapPart(name string) bool {
	n, ok := strings.CutPrefix(name, "sitemap-")
	n, ok2 := strings.CutSuffix(n, ".xml")
	return ok && ok2 && n != "" && strings.Trim(n, "0123456789") == ""
}

// robots allows every crawler (site monitors included) and names the
// sitemap. On a site under a sub-path, crawlers read only the host's own
// /robots.txt: its Sitemap line must be added there.
func (s *Stage) robots() []byte {
	var b bytes.Buffer
	b.WriteString("User-agent: *\nAllow: /\n")
	if s.base != nil {
		fmt.Fprintf(&b, "\nSitemap: %s\n", s.absURL("sitemap.xml"))
	}
	return b.Bytes()
}
