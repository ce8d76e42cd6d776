package publish

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/disclose/disclose/generator/diag"
	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/css"
)

// Asset is a file published under a name that carries its content hash, so
// a CDN may cache it for a year: a changed file is a new name.
type Asset struct {
	// Source is the name it was added under: static/css/site.css.
	Source string
	// Name is its output name: static/css/site.3f9c2a1b.css.
	Name string
	// Integrity is its Subresource Integrity value: sha384-….
	Integrity string
}

// File is a named file for [Stage.Assets].
type File struct {
	Name string
	Data []byte
}

// hashedName inserts the first 8 hex digits of data's SHA-256 before the
// extension of name: css/site.css → css/site.3f9c2a1b.css.
func hashedName(name string, data []byte) string {
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:4])
	dir, base := path.Split(name)
	ext := path.Ext(base)
	if ext == base { // .htaccess-like names: no stem
		ext = ""
	}
	return dir + strings.TrimSuffix(base, ext) + "." + h + ext
}

// integrity returns the SRI value of data: sha384, base64.
func integrity(data []byte) string {
	sum := sha512.Sum384(data)
	return "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
}

// cssRef is a url() or @import in a stylesheet.
type cssRef struct {
	start, end int // the bytes of the URL itself, without quotes
	url        string
}

// cssRefs lists the url(…) and @import "…" references of a stylesheet.
func cssRefs(data []byte) []cssRef {
	var refs []cssRef
	l := css.NewLexer(parse.NewInputBytes(data))
	off := 0
	afterImport := false
	for {
		tt, text := l.Next()
		if tt == css.ErrorToken {
			break
		}
		start := off
		off += len(text)
		switch tt {
		case css.URLToken:
			// url( "x" ) — find the URL between the parentheses (the
			// closing one is missing at the end of a broken file).
			inner := bytes.TrimSuffix(text[min(4, len(text)):], []byte(")"))
			lead := len(inner) - len(bytes.TrimLeft(inner, " \t\r\n\f"))
			inner = bytes.TrimSpace(inner)
			if len(inner) >= 2 && (inner[0] == '"' || inner[0] == '\'') {
				inner = inner[1 : len(inner)-1]
				lead++
			}
			s := start + 4 + lead
			refs = append(refs, cssRef{start: s, end: s + len(inner), url: string(inner)})
			afterImport = false
		case css.StringToken:
			if afterImport && len(text) >= 2 {
				refs = append(refs, cssRef{start: start + 1, end: start + len(text) - 1, url: string(text[1 : len(text)-1])})
			}
			afterImport = false
		case css.AtKeywordToken:
			afterImport = strings.EqualFold(string(text), "@import")
		case css.WhitespaceToken, css.CommentToken:
		default:
			afterImport = false
		}
	}
	return refs
}

// Assets adds a set of static files as hashed assets. Stylesheets go last,
// each after the stylesheets it imports, because their url(…) and @import
// references are rewritten to the hashed names of what they point at; a
// reference to a missing file, another site or a data: URL is an error
// naming the stylesheet's line.
func (s *Stage) Assets(files []File) error {
	files = slices.Clone(files)
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	var sheets []File
	for _, f := range files {
		if strings.EqualFold(path.Ext(f.Name), ".css") {
			sheets = append(sheets, f)
			continue
		}
		if _, err := s.Asset(f.Name, f.Data); err != nil {
			return err
		}
	}
	// Order the stylesheets so each comes after those it refers to.
	byName := map[string]File{}
	for _, f := range sheets {
		byName[f.Name] = f
	}
	state := map[string]int{} // 1 visiting, 2 done
	var order []File
	var visit func(f File, chain []string)
	visit = func(f File, chain []string) {
		switch state[f.Name] {
		case 2:
			return
		case 1:
			s.report(diag.Diagnostic{File: f.Name, Severity: diag.Error, Rule: "css.import-cycle",
				Message: "样式表互相引用，形成循环：" + strings.Join(append(chain, f.Name), " → ")})
			return
		}
		state[f.Name] = 1
		for _, r := range cssRefs(f.Data) {
			if target, ok := s.cssTarget(f.Name, r.url); ok {
				if dep, ok := byName[target]; ok {
					visit(dep, append(chain, f.Name))
				}
			}
		}
		state[f.Name] = 2
		order = append(order, f)
	}
	for _, f := range sheets {
		visit(f, nil)
	}
	for _, f := range order {
		delete(byName, f.Name)
		// A stylesheet still in byName is one of a cycle, already reported.
		if _, err := s.Asset(f.Name, s.rewriteCSS(f.Name, f.Data, byName)); err != nil {
			return err
		}
	}
	return nil
}

// cssTarget resolves a stylesheet reference to the name of a file of the
// site; ok is false for references that are not to a file (fragments,
// data: and other sites).
func (s *Stage) cssTarget(sheet, ref string) (string, bool) {
	u, err := url.Parse(ref)
	if err != nil || ref == "" || strings.HasPrefix(ref, "#") || u.Scheme != "" || u.Host != "" || u.Path == "" {
		return "", false
	}
	if strings.HasPrefix(u.Path, "/") {
		return strings.TrimPrefix(strings.TrimPrefix(u.Path, s.basePath), "/"), true
	}
	return path.Join(path.Dir(sheet), u.Path), true
}

// rewriteCSS points a stylesheet's references at hashed names, reporting
// those that cannot work; references to pending files are left alone.
func (s *Stage) rewriteCSS(name string, data []byte, pending map[string]File) []byte {
	var out bytes.Buffer
	last := 0
	for _, r := range cssRefs(data) {
		line, col := lineCol(data, r.start)
		errorf := func(rule, format string, args ...any) {
			s.report(diag.Diagnostic{File: name, Line: line, Col: col, Severity: diag.Error, Rule: rule, Message: fmt.Sprintf(format, args...)})
		}
		u, err := url.Parse(r.url)
		switch {
		case r.url == "" || strings.HasPrefix(r.url, "#"):
			continue
		case err != nil:
			errorf("css.bad-url", "样式表中的网址 %q 写法有误", r.url)
			continue
		case strings.EqualFold(u.Scheme, "data"):
			errorf("csp.data-url", "样式表中的 data: 网址会被内容安全策略（CSP）拦截：请把图片或字体作为文件放在 static/ 下，用相对路径引用")
			continue
		case u.Scheme != "" || u.Host != "":
			errorf("csp.third-party", "样式表引用了外部网站的文件 %s：政府网站不应加载第三方资源，内容安全策略（CSP）也会拦截它；请把文件放到 static/ 下", r.url)
			continue
		}
		target, _ := s.cssTarget(name, r.url)
		a := s.asset(target)
		if _, ok := pending[target]; ok && a == nil {
			continue
		}
		if a == nil {
			errorf("css.missing", "样式表引用的文件 %s 不存在（找的是 %s）", r.url, target)
			continue
		}
		// Keep the reference's form; change only its last element (or, from
		// the root, the whole path under the site's sub-path).
		var repl string
		if strings.HasPrefix(u.Path, "/") {
			repl = s.basePath + a.Name
		} else {
			repl = strings.TrimSuffix(u.Path, path.Base(u.Path)) + path.Base(a.Name)
		}
		if u.RawQuery != "" {
			repl += "?" + u.RawQuery
		}
		if u.Fragment != "" {
			repl += "#" + u.EscapedFragment()
		}
		out.Write(data[last:r.start])
		out.WriteString(repl)
		last = r.end
	}
	if last == 0 {
		return data
	}
	out.Write(data[last:])
	return out.Bytes()
}

// lineCol returns the 1-based line and column (in characters) of offset
// off in data.
func lineCol(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, len([]rune(string(before[start:]))) + 1
}
