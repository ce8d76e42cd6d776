package publish_test

import (
	"fmt"
	"strings"

	"github.com/disclose/disclose/generator/publish"
)

// A build hands its static files, pages and other files to a Stage, then
// calls Finish: the stylesheet is published under its content hash, the
// page links it with its integrity, and Finish checks the links and
// writes the files a CDN needs.
func ExampleStage() {
	sink := publish.NewMapSink()
	stage, err := publish.NewStage(sink, publish.Options{BaseURL: "https://czj.example.gov.cn/yjsgk/", Minify: true})
	if err != nil {
		panic(err)
	}
	css, _ := stage.Asset("static/css/site.css", []byte("body { color : #111111 }"))
	page := `<!DOCTYPE html><html lang="zh-CN"><head><title>首页</title>
<link rel="stylesheet" href="/yjsgk/` + css.Name + `"></head>
<body><a href="/yjsgk/glossary/">名词解释</a></body></html>`
	stage.Page(publish.Page{Name: "index.html", HTML: []byte(page), Sitemap: true})
	stage.Page(publish.Page{Name: "glossary/index.html", HTML: []byte(`<!DOCTYPE html><title>名词解释</title>`), Sitemap: true})
	diags, err := stage.Finish()
	fmt.Println(len(diags), err)
	for _, name := range sink.Names() {
		fmt.Println(name)
	}
	home := string(sink.Files["index.html"])
	fmt.Println(strings.Contains(home, "integrity="+css.Integrity))
	// Output:
	// 0 <nil>
	// _headers
	// glossary/index.html
	// index.html
	// manifest.json
	// robots.txt
	// sitemap.xml
	// static/css/site.cc564ca3.css
	// true
}
