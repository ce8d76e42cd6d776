package publish

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// HeadersFile is the name of the headers hint file in the output.
const HeadersFile = "_headers"

// The response headers of every file of the site, and the Cache-Control of
// each cache class.
var (
	cacheControl = map[string]string{
		Immutable:  "public, max-age=31536000, immutable",
		Revalidate: "no-cache",
	}
)

// Rule is one rule of a headers file: the headers of the URL paths its
// pattern matches.
type Rule struct {
	// Pattern is a URL path; a trailing * matches any rest, including
	// none (/yjsgk/static/* matches /yjsgk/static/ and everything below).
	Pattern string
	// Header holds the header fields in the order written.
	Header [][2]string
	// Line is where the rule starts in the file.
	Line int
}

// Matches reports whether the rule applies to the URL path p.
func (r Rule) Matches(p string) bool {
	if prefix, ok := strings.CutSuffix(r.Pattern, "*"); ok {
		return strings.HasPrefix(p, prefix)
	}
	return p == r.Pattern
}

// Headers is a parsed headers file.
type Headers []Rule

// For returns the headers of URL path p: those of every rule that matches
// it. A headers file written by disclose never sets one header in two rules
// that match the same path, so the order does not matter.
func (h Headers) For(p string) http.Header {
	out := http.Header{}
	for _, r := range h {
		if r.Matches(p) {
			for _, f := range r.Header {
				out.Add(f[0], f[1])
			}
		}
	}
	return out
}

// ParseHeaders reads a headers file in the format of Netlify's and
// Cloudflare Pages' _headers: a line with a URL path pattern starts a
// rule; the indented "Name: value" lines under it are its headers; lines
// starting with # are comments.
func ParseHeaders(data []byte) (Headers, error) {
	var h Headers
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			if !strings.HasPrefix(trimmed, "/") || strings.ContainsAny(trimmed, " \t") {
				return nil, fmt.Errorf("%s:%d: a rule starts with a URL path, found %q", HeadersFile, n, trimmed)
			}
			h = append(h, Rule{Pattern: trimmed, Line: n})
			continue
		}
		if len(h) == 0 {
			return nil, fmt.Errorf("%s:%d: header %q before any URL path", HeadersFile, n, trimmed)
		}
		name, value, ok := strings.Cut(trimmed, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return nil, fmt.Errorf("%s:%d: want \"Name: value\", found %q", HeadersFile, n, trimmed)
		}
		r := &h[len(h)-1]
		r.Header = append(r.Header, [2]string{http.CanonicalHeaderKey(name), value})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", HeadersFile, err)
	}
	return h, nil
}

// headerRules returns the rules of a build: the security headers for every
// path, then Cache-Control by class. Cache rules never overlap: a folder
// whose files share one class gets one rule (folder/*), a folder with
// both classes is split into its entries.
func (s *Stage) headerRules() Headers {
	security := Rule{Pattern: s.basePath + "*", Header: [][2]string{
		{"Content-Security-Policy", s.CSP()},
		{"X-Content-Type-Options", "nosniff"},
		{"Referrer-Policy", "strict-origin-when-cross-origin"},
		{"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
		{"Cross-Origin-Opener-Policy", "same-origin"},
		{"X-Frame-Options", "SAMEORIGIN"},
	}}
	class := map[string]string{HeadersFile: Revalidate, ManifestFile: Revalidate}
	s.mu.Lock()
	for n, e := range s.files {
		class[n] = e.class
	}
	for _, e := range s.retained {
		class[e.Path] = e.Class
	}
	s.mu.Unlock()
	names := make([]string, 0, len(class))
	for n := range class {
		names = append(names, n)
	}
	slices.Sort(names)
	rules := Headers{security}
	var group func(dir string, names []string)
	group = func(dir string, names []string) {
		// names are the files under dir (dir is "" or ends in /), sorted.
		first := class[names[0]]
		same := true
		for _, n := range names {
			same = same && class[n] == first
		}
		if same && dir != "" {
			rules = append(rules, Rule{Pattern: s.basePath + dir + "*", Header: [][2]string{{"Cache-Control", cacheControl[first]}}})
			return
		}
		for i := 0; i < len(names); {
			rest := strings.TrimPrefix(names[i], dir)
			if sub, _, ok := strings.Cut(rest, "/"); ok {
				j := i
				for j < len(names) && strings.HasPrefix(names[j], dir+sub+"/") {
					j++
				}
				group(dir+sub+"/", names[i:j])
				i = j
				continue
			}
			c := class[names[i]]
			cc := [][2]string{{"Cache-Control", cacheControl[c]}}
			if rest == "index.html" {
				// A folder's page is served at the folder's URL too.
				rules = append(rules, Rule{Pattern: s.basePath + dir, Header: cc})
			}
			// name* covers its precompressed siblings (name.gz, name.br)
			// when every name it matches has the same class.
			j, same := i+1, true
			for j < len(names) && strings.HasPrefix(names[j], names[i]) {
				same = same && class[names[j]] == c
				j++
			}
			if j > i+1 && same {
				rules = append(rules, Rule{Pattern: s.basePath + names[i] + "*", Header: cc})
				i = j
				continue
			}
			rules = append(rules, Rule{Pattern: s.basePath + names[i], Header: cc})
			i++
		}
	}
	if len(names) > 0 {
		group("", names)
	}
	return rules
}

// writeHeaders writes the headers hint file.
func (s *Stage) writeHeaders() error {
	var b bytes.Buffer
	b.WriteString(`# 响应头提示（disclose 生成）：请把它换算成 CDN 或服务器的设置。
# Headers hint (written by disclose), in the _headers format of Netlify and Cloudflare Pages:
# a line with a URL path starts a rule (a trailing * matches any rest);
# the indented "Name: value" lines under it are headers to send for every
# matching path. No two rules that match one path set the same header, so
# apply every rule that matches.
#
# Cache classes (also in manifest.json): files named by content hash are
# cached for a year; everything else is revalidated (no-cache).
# HSTS is not set here: add Strict-Transport-Security at the CDN once
# HTTPS works everywhere, without includeSubDomains on a shared *.gov.cn.
`)
	fmt.Fprintf(&b, "# Not found: serve %s%s with status 404.\n", s.basePath, NotFoundPage)
	for _, r := range s.headerRules() {
		fmt.Fprintf(&b, "\n%s\n", r.Pattern)
		for _, f := range r.Header {
			fmt.Fprintf(&b, "  %s: %s\n", f[0], f[1])
		}
	}
	return s.write(HeadersFile, b.Bytes(), entry{class: Revalidate}, false)
}
