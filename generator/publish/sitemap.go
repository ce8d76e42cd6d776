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
		return s.WriteFile("sitemap.xml", urlset(urls))
	}
	var index bytes.Buffer
	index.WriteString(xml.Header + `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for i := 0; i*s.sitemapMax < len(urls); i++ {
		part := urls[i*s.sitemapMax : min((i+1)*s.sitemapMax, len(urls))]
		name := fmt.Sprintf("sitemap-%d.xml", i+1)
		if err := s.WriteFile(name, urlset(part)); err != nil {
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
	return s.WriteFile("sitemap.xml", index.Bytes())
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
