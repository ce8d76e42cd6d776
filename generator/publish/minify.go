package publish

import (
	"path"
	"regexp"
	"strings"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
)

// types maps a file extension to the Content-Type a CDN must send. It is a
// fixed table, not mime.TypeByExtension, whose answer depends on the
// machine's /etc/mime.types: the manifest must not.
var types = map[string]string{
	".html":        "text/html; charset=utf-8",
	".htm":         "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
	".map":         "application/json",
	".xml":         "application/xml",
	".svg":         "image/svg+xml",
	".txt":         "text/plain; charset=utf-8",
	".csv":         "text/csv; charset=utf-8",
	".md":          "text/markdown; charset=utf-8",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/vnd.microsoft.icon",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".ttf":         "font/ttf",
	".otf":         "font/otf",
	".pdf":         "application/pdf",
	".xls":         "application/vnd.ms-excel",
	".xlsx":        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".doc":         "application/msword",
	".docx":        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".zip":         "application/zip",
	".gz":          "application/gzip",
	".br":          "application/octet-stream",
	".wasm":        "application/wasm",
}

// ContentType returns the media type of an output file by its extension;
// application/octet-stream when it is not known. _headers is text.
func ContentType(name string) string {
	if path.Base(name) == HeadersFile {
		return "text/plain; charset=utf-8"
	}
	if t, ok := types[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

// compressible reports whether a media type is text that gzip and brotli
// shrink (images and fonts other than SVG are compressed already).
func compressible(mediatype string) bool {
	return strings.HasPrefix(mediatype, "text/") || strings.HasPrefix(mediatype, "application/json") ||
		strings.HasPrefix(mediatype, "application/xml") || strings.HasPrefix(mediatype, "image/svg+xml") ||
		strings.HasPrefix(mediatype, "image/vnd.microsoft.icon") || strings.HasPrefix(mediatype, "application/wasm") ||
		strings.HasPrefix(mediatype, "font/ttf") || strings.HasPrefix(mediatype, "font/otf")
}

// newMinifier returns the one minifier of a build: HTML (with the SVG,
// CSS, JavaScript and JSON inside it), CSS, JavaScript, SVG, JSON and XML.
// Document and end tags are kept: some government site monitors read pages
// with simple parsers that expect them.
func newMinifier() *minify.M {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`^(application|text)/(x-)?(java|ecma)script$`), js.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]json$`), json.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`^(application|text)/xml$`), xml.Minify)
	return m
}

// minifiable reports whether the build's minifier handles a media type.
func minifiable(mediatype string) bool {
	mt, _, _ := strings.Cut(mediatype, ";")
	switch mt {
	case "text/html", "text/css", "image/svg+xml", "text/javascript", "application/json", "application/xml":
		return true
	}
	return false
}
