package search_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode"

	"github.com/chromedp/chromedp"
	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator/browsertest"
	"github.com/disclose/disclose/generator/search"
)

// clientPage serves a blank page that loads the theme's search.js, and
// returns a browser on it.
func clientPage(t *testing.T) (run func(js string, out any)) {
	t.Helper()
	js, err := fs.ReadFile(disclose.Theme(), "static/js/search.js")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/search.js" {
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			w.Write(js)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>t</title><script src="/search.js"></script></html>`)
	}))
	t.Cleanup(srv.Close)
	bctx := browsertest.New(t, browsertest.Options{})
	if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	return func(expr string, out any) {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr[:min(len(expr), 200)], err)
		}
		if err := json.Unmarshal([]byte(s), out); err != nil {
			t.Fatal(err)
		}
	}
}

// tokenizerInputs are the texts the Go and JavaScript tokenizers must
// agree on: hand-picked cases, every letter and digit of the BMP outside
// CJK (case mapping, NFKC), the full-width and compatibility blocks, and
// random strings from an alphabet of what makes tokenizing hard.
func tokenizerInputs() []string {
	in := []string{
		"“三公”经费预算2,966.24万元，比2019年度减少4万元（下降44.44%）。",
		"因公出国（境）费 ＧＤＰ２０２４ ｶﾞｽ ﬁle ⼀ ① ΣΑΣ İstanbul e\u0301 2019.12.31 v1.2 1,2,3 1,234,567.890",
		"ICP备12345678号-1 COVID-19 5G网络 1.2亿元 2394万人 2966.24 万元 𠀀𠀁〇々 ー・",
		"", " ", "。，“”", "a\u3000b", "\u200b\u200d\ufeff", "12,34", "1234,567", "0.00", "007", "-168.97",
	}
	var letters, compat strings.Builder
	for r := rune(0x80); r < 0x3000; r++ {
		if (unicode.IsLetter(r) || unicode.IsDigit(r)) && unicode.Is(unicode.Common, r) == false {
			letters.WriteRune(r)
			if letters.Len()%200 == 0 {
				letters.WriteByte(' ')
			}
		}
	}
	for _, rg := range [][2]rune{{0xff00, 0xffef}, {0xf900, 0xfaff}, {0x2f00, 0x2fdf}, {0x3000, 0x30ff}, {0x2460, 0x24ff}, {0xfb00, 0xfb4f}} {
		for r := rg[0]; r <= rg[1]; r++ {
			if unicode.IsPrint(r) {
				compat.WriteRune(r)
			}
		}
		compat.WriteByte(' ')
	}
	in = append(in, letters.String(), compat.String())
	alphabet := []rune("三公经费预算收入支出万元亿元年度（）“”‘’《》、。，：；！？—…·　 \t\n0123456789.,%-+ＡＢＣａｂｃ０１２３，．ABCabcΣσςİıﬁ①⼀ｶﾞﾟ\u0301\u0308ー・〇々𠀀가각ぁア")
	rng := rand.New(rand.NewPCG(7, 7))
	for range 300 {
		n := 1 + rng.IntN(24)
		var b strings.Builder
		for range n {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		in = append(in, b.String())
	}
	return in
}

type jsToken struct {
	Text string `json:"text"`
	Kind string `json:"kind"`
	Pos  int    `json:"pos"`
	Unit string `json:"unit"`
}

// TestClientTokenizerMatchesGo runs the JavaScript tokenizer and query
// parser in chromium on the same inputs as the Go ones.
func TestClientTokenizerMatchesGo(t *testing.T) {
	run := clientPage(t)
	inputs := tokenizerInputs()
	data, _ := json.Marshal(inputs)
	var gotTokens [][]jsToken
	run(`JSON.stringify(`+string(data)+`.map(function(s){return window.discloseSearch.tokenize(s)}))`, &gotTokens)
	var gotQueries [][]search.Group
	run(`JSON.stringify(`+string(data)+`.map(function(s){return window.discloseSearch.parseQuery(s).map(function(g){
		return {Text: g.text, Terms: g.terms.map(function(t){return {Text: t.text, Rel: t.rel, Positional: t.positional}})}})}))`, &gotQueries)
	for i, s := range inputs {
		var want []jsToken
		for _, tk := range search.Tokenize(s) {
			want = append(want, jsToken{tk.Text, tk.Kind.String(), tk.Pos, tk.Unit})
		}
		if w, g := fmt.Sprint(want), fmt.Sprint(gotTokens[i]); w != g && !(len(want) == 0 && len(gotTokens[i]) == 0) {
			j := 0
			for j < min(len(want), len(gotTokens[i])) && want[j] == gotTokens[i][j] {
				j++
			}
			t.Errorf("tokenize(%q): token %d:\n Go %v\n JS %v", s, j, want[j:min(len(want), j+2)], gotTokens[i][j:min(len(gotTokens[i]), j+2)])
		}
		wq, _ := json.Marshal(search.ParseQuery(s))
		gq, _ := json.Marshal(gotQueries[i])
		if string(wq) != string(gq) && !(string(wq) == "null" && string(gq) == "[]") {
			t.Errorf("parseQuery(%q):\n Go %s\n JS %s", s, wq, gq)
		}
	}
}

// TestClientHashesMatchGo: the client finds a token's bucket and a file's
// name as the index writer does.
func TestClientHashesMatchGo(t *testing.T) {
	run := clientPage(t)
	words := []string{"三公", "经费", "2966.24", "gdp", "\x01y2024", "𠀀𠀁", ""}
	data, _ := json.Marshal(words)
	var hashes []uint32
	run(`JSON.stringify(`+string(data)+`.map(window.discloseSearch.hash32))`, &hashes)
	for i, w := range words {
		if want := search.Hash32(w); hashes[i] != want {
			t.Errorf("hash32(%q) = %d in JS, %d in Go", w, hashes[i], want)
		}
	}
	var names []string
	run(`JSON.stringify([[0,0,0,0,0,0,0,0],[255,255,255,255,255,255,255,255],[1,2,3,4,5,6,7,8],[222,173,190,239,0,17,34,51]].map(function(b){return window.discloseSearch.hashName(new Uint8Array(b),0)}))`, &names)
	for i, b := range [][]byte{{0, 0, 0, 0, 0, 0, 0, 0}, {255, 255, 255, 255, 255, 255, 255, 255}, {1, 2, 3, 4, 5, 6, 7, 8}, {222, 173, 190, 239, 0, 17, 34, 51}} {
		if want := search.HashName(b); names[i] != want {
			t.Errorf("name of %v = %q in JS, %q in Go", b, names[i], want)
		}
	}
}
