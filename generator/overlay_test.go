package generator

import (
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"
)

// TestOverlay: a name comes from the first layer that has it, by Open and
// by ReadFile alike; a folder lists the union of its layers.
func TestOverlay(t *testing.T) {
	site := fstest.MapFS{"layouts/base.html": {Data: []byte("site")}}
	theme := fstest.MapFS{"layouts/base.html": {Data: []byte("theme")}, "layouts/home.html": {Data: []byte("home")}}
	o := overlay{site, nil, theme}
	for name, want := range map[string]string{"layouts/base.html": "site", "layouts/home.html": "home"} {
		got, err := o.ReadFile(name)
		if err != nil || string(got) != want {
			t.Errorf("ReadFile(%s) = %q, %v; want %q", name, got, err, want)
		}
		f, err := o.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		f.Close()
		if st.Size() != int64(len(want)) {
			t.Errorf("Open(%s): %d bytes, want %q", name, st.Size(), want)
		}
	}
	if _, err := o.ReadFile("layouts/none.html"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile of a missing file: %v", err)
	}
	if _, err := o.Open("layouts/none.html"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open of a missing file: %v", err)
	}
	entries, err := o.ReadDir("layouts")
	if err != nil || len(entries) != 2 || entries[0].Name() != "base.html" || entries[1].Name() != "home.html" {
		t.Errorf("ReadDir = %v, %v", entries, err)
	}
}
