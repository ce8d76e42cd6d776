package chart

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
)

// node is an element of a parsed chart.
type node struct {
	name     string
	attr     map[string]string
	text     string // character data directly inside
	children []*node
	parent   *node
}

// parseSVG parses a chart's markup as XML, failing the test if it is not
// well-formed.
func parseSVG(t testing.TB, s string) *node {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(s))
	root := &node{name: "#root"}
	cur := root
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v\n%s", err, s)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attr: map[string]string{}, parent: cur}
			for _, a := range tok.Attr {
				n.attr[a.Name.Local] = a.Value
			}
			cur.children = append(cur.children, n)
			cur = n
		case xml.EndElement:
			cur = cur.parent
		case xml.CharData:
			cur.text += string(tok)
		}
	}
	if len(root.children) != 1 || root.children[0].name != "svg" {
		t.Fatalf("chart is not one <svg> element")
	}
	return root.children[0]
}

func (n *node) walk(f func(*node)) {
	f(n)
	for _, c := range n.children {
		c.walk(f)
	}
}

// inherited returns attribute a of n or its nearest ancestor that has it.
func (n *node) inherited(a string) string {
	for x := n; x != nil; x = x.parent {
		if v, ok := x.attr[a]; ok {
			return v
		}
	}
	return ""
}

func (n *node) num(t testing.TB, a string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attr[a], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.name, a, n.attr[a], err)
	}
	return v
}

func (n *node) hasClass(c string) bool {
	for _, x := range strings.Fields(n.attr["class"]) {
		if x == c {
			return true
		}
	}
	return false
}

// box is a rectangle in user units.
type box struct{ x0, y0, x1, y1 float64 }

func (a box) overlaps(b box) bool {
	const eps = 0.01 // touching is not overlapping
	return a.x0 < b.x1-eps && b.x0 < a.x1-eps && a.y0 < b.y1-eps && b.y0 < a.y1-eps
}

func (a box) String() string { return fmt.Sprintf("[%.1f,%.1f–%.1f,%.1f]", a.x0, a.y0, a.x1, a.y1) }

// textBox is where a <text> is drawn by the package's own estimate of text
// width (the browser test checks the estimate against rendered text).
type textBox struct {
	box
	text   string
	onMark bool
}

// layout is what a property test checks of a chart.
type layout struct {
	w, h  float64
	texts []textBox
	rects []*node
	svg   *node
}

func readLayout(t testing.TB, c Chart) layout {
	t.Helper()
	svg := parseSVG(t, c.SVG)
	vb := strings.Fields(svg.attr["viewBox"])
	if len(vb) != 4 || vb[0] != "0" || vb[1] != "0" {
		t.Fatalf("viewBox %q", svg.attr["viewBox"])
	}
	w, _ := strconv.ParseFloat(vb[2], 64)
	h, _ := strconv.ParseFloat(vb[3], 64)
	l := layout{w: w, h: h, svg: svg}
	svg.walk(func(n *node) {
		switch n.name {
		case "text":
			size, err := strconv.Atoi(n.inherited("font-size"))
			if err != nil {
				t.Fatalf("text %q without a font size", n.text)
			}
			x, y := n.num(t, "x"), n.num(t, "y")
			wd := float64(textWidth(n.text, size)) / 10
			switch n.inherited("text-anchor") {
			case "middle":
				x -= wd / 2
			case "end":
				x -= wd
			}
			l.texts = append(l.texts, textBox{box{x, y - 0.9*float64(size), x + wd, y + 0.3*float64(size)}, n.text, n.hasClass("on-mark")})
		case "rect":
			l.rects = append(l.rects, n)
		}
	})
	return l
}

// checkLayout checks what every chart promises: text at least 13 units,
// every text inside the chart, no two texts overlapping, no text over a
// mark it does not label, and the accessible name and description.
func checkLayout(t testing.TB, c Chart, s Spec) layout {
	t.Helper()
	l := readLayout(t, c)
	if l.w != Width {
		t.Errorf("width %v, want %d", l.w, Width)
	}
	if l.svg.attr["role"] != "img" || l.svg.attr["aria-labelledby"] != s.ID+"-t" || l.svg.attr["aria-describedby"] != s.ID+"-d" {
		t.Errorf("svg attributes %v", l.svg.attr)
	}
	var title, desc *node
	for _, ch := range l.svg.children {
		switch ch.name {
		case "title":
			title = ch
		case "desc":
			desc = ch
		}
	}
	if title == nil || title.attr["id"] != s.ID+"-t" || title.text != s.Title {
		t.Errorf("no <title id=%s-t>%s</title>", s.ID, s.Title)
	}
	if desc == nil || desc.attr["id"] != s.ID+"-d" || desc.text == "" || desc.text != c.Desc {
		t.Errorf("<desc> missing or not the finding %q", c.Desc)
	}
	l.svg.walk(func(n *node) {
		if _, ok := n.attr["style"]; ok || n.name == "style" || n.name == "script" {
			t.Errorf("<%s> uses style or script", n.name)
		}
		if n.name == "text" {
			if size, _ := strconv.Atoi(n.inherited("font-size")); size < 13 {
				t.Errorf("text %q at %d units", n.text, size)
			}
		}
	})
	for i, a := range l.texts {
		if a.x0 < -0.01 || a.y0 < -0.01 || a.x1 > l.w+0.01 || a.y1 > l.h+0.01 {
			t.Errorf("text %q %v is outside the chart (%v×%v)", a.text, a.box, l.w, l.h)
		}
		for _, b := range l.texts[i+1:] {
			if a.overlaps(b.box) {
				t.Errorf("texts %q %v and %q %v overlap", a.text, a.box, b.text, b.box)
			}
		}
		if a.onMark {
			continue
		}
		for _, r := range l.rects {
			if !r.hasClass("mark") {
				continue
			}
			x, y := r.num(t, "x"), r.num(t, "y")
			rb := box{x, y, x + r.num(t, "width"), y + r.num(t, "height")}
			if a.overlaps(rb) {
				t.Errorf("text %q %v overlaps a mark %v", a.text, a.box, rb)
			}
		}
	}
	return l
}
