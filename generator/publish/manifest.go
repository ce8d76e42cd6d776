package publish

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"maps"
	"slices"

	"github.com/disclose/disclose/generator/diag"
)

// ManifestFile is the name of the manifest in the output.
const ManifestFile = "manifest.json"

// Manifest lists every file of a build, for deploy scripts, CDN purges and
// auditors. Its format (version 1):
//
//	{"version":1,"base_url":"https://yjsgk.example.gov.cn/",
//	"files":[
//	{"path":"404.html","size":2345,"sha256":"…","class":"revalidate","type":"text/html; charset=utf-8"},
//	{"path":"static/css/site.3f9c2a1b.css","size":…,"sha256":"…","class":"immutable","type":"text/css; charset=utf-8","asset":"static/css/site.css","integrity":"sha384-…"},
//	{"path":"static/css/site.3f9c2a1b.css.gz",…,"encoding":"gzip","of":"static/css/site.3f9c2a1b.css"}
//	],
//	"retained":[…]}
//
// files lists every file the build wrote except manifest.json itself,
// sorted by path; retained lists the previous build's hashed assets that
// are kept one more build, so pages still cached somewhere keep working.
type Manifest struct {
	Version  int     `json:"version"`
	BaseURL  string  `json:"base_url"`
	Files    []Entry `json:"files"`
	Retained []Entry `json:"retained,omitempty"`
}

// Entry is one file of the manifest.
type Entry struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	// Class is Immutable (named by content hash: cache for a year) or
	// Revalidate (cache, but ask the origin first).
	Class string `json:"class"`
	// Type is the Content-Type to serve it with.
	Type string `json:"type"`
	// Asset is the name a hashed file was added under (static/css/site.css);
	// Integrity its Subresource Integrity value.
	Asset     string `json:"asset,omitempty"`
	Integrity string `json:"integrity,omitempty"`
	// Encoding is set on a precompressed file (gzip or br): serve it with
	// that Content-Encoding, and the Content-Type of Of, the file it
	// compresses, to clients that accept it.
	Encoding string `json:"encoding,omitempty"`
	Of       string `json:"of,omitempty"`
}

// ReadManifest parses a manifest.json.
func ReadManifest(data []byte) (*Manifest, error) {
	m := &Manifest{}
	err := scanManifest(bytes.NewReader(data), m, func(list string, e Entry) {
		if list == "files" {
			m.Files = append(m.Files, e)
		} else {
			m.Retained = append(m.Retained, e)
		}
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// scanManifest reads a manifest.json from r entry by entry, so that the
// manifest of a big site (47 MB at 10,000 disclosures) need not be held as
// a whole: head receives the version and base URL, each every entry of
// the lists files and retained.
func scanManifest(r io.Reader, head *Manifest, each func(list string, e Entry)) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	bad := func(err error) error { return fmt.Errorf("manifest.json: %w", err) }
	if t, err := dec.Token(); err != nil {
		return bad(err)
	} else if t != json.Delim('{') {
		return bad(errors.New("not an object"))
	}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return bad(err)
		}
		key, _ := t.(string)
		if seen[key] {
			return bad(fmt.Errorf("%q twice", key))
		}
		seen[key] = true
		switch key {
		case "version":
			err = dec.Decode(&head.Version)
		case "base_url":
			err = dec.Decode(&head.BaseURL)
		case "files", "retained":
			if t, err = dec.Token(); err == nil && t != json.Delim('[') {
				if t == nil { // null: an empty list
					continue
				}
				err = fmt.Errorf("%s is not a list", key)
			}
			for err == nil && dec.More() {
				var e Entry
				if err = dec.Decode(&e); err == nil {
					if checkName(e.Path) != nil || e.Size < 0 || len(e.SHA256) != 64 {
						return bad(fmt.Errorf("bad entry %q", e.Path))
					}
					each(key, e)
				}
			}
			if err == nil {
				_, err = dec.Token() // ]
			}
		default:
			err = fmt.Errorf("json: unknown field %q", key)
		}
		if err != nil {
			return bad(err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return bad(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return bad(errors.New("data after the manifest"))
	}
	if head.Version != 1 {
		return bad(fmt.Errorf("version %d, want 1", head.Version))
	}
	return nil
}

// encodeManifest writes a manifest with one file per line: compact, and a
// diff between two builds shows what changed. The lists are in path order.
func encodeManifest(version int, baseURL string, n int, files iter.Seq[Entry], retained []Entry) ([]byte, error) {
	var b bytes.Buffer
	head, err := json.Marshal(struct {
		Version int    `json:"version"`
		BaseURL string `json:"base_url"`
	}{version, baseURL})
	if err != nil {
		return nil, err
	}
	b.Grow(n * 200)
	b.Write(head[:len(head)-1])
	enc := json.NewEncoder(&b)
	list := func(key string, es iter.Seq[Entry]) error {
		fmt.Fprintf(&b, ",\n%q:[", key)
		sep := ""
		for e := range es {
			b.WriteString(sep)
			sep = ","
			b.WriteByte('\n')
			if err := enc.Encode(e); err != nil {
				return err
			}
			b.Truncate(b.Len() - 1) // Encode ends with a newline
		}
		b.WriteString("\n]")
		return nil
	}
	if err := list("files", files); err != nil {
		return nil, err
	}
	if len(retained) > 0 {
		if err := list("retained", slices.Values(retained)); err != nil {
			return nil, err
		}
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

// retain works out which hashed assets of the previous build to keep: the
// immutable files its manifest lists under files (not those it had only
// retained: they have had their extra build) that this build did not
// write and that are still there. It returns a warning when the previous
// manifest cannot be read.
func (s *Stage) retain() *diag.Diagnostic {
	if s.o.Previous == nil {
		return nil
	}
	f, err := s.o.Previous.Open(ManifestFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil {
		defer f.Close()
		// The previous build's immutable files this build did not write
		// (written files are all in by now).
		var old []Entry
		s.mu.Lock()
		err = scanManifest(bufio.NewReaderSize(f, 64<<10), &Manifest{}, func(list string, e Entry) {
			if list == "files" && e.Class == Immutable && !s.has(e.Path) {
				old = append(old, e)
			}
		})
		s.mu.Unlock()
		if err == nil {
			err = s.retainFiles(old)
		}
	}
	if err != nil {
		return &diag.Diagnostic{File: ManifestFile, Severity: diag.Warning, Rule: "publish.previous-manifest",
			Message: fmt.Sprintf("无法读取上一次生成的 manifest.json（%v）：上一次的带哈希资源文件不再保留", err)}
	}
	return nil
}

// retainFiles keeps those of the previous build's files that are still
// there, with their digests as they are now.
func (s *Stage) retainFiles(old []Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range old {
		data, err := fs.ReadFile(s.o.Previous, e.Path)
		if err != nil {
			continue
		}
		sum := sha256.Sum256(data)
		e.Size, e.SHA256 = int64(len(data)), hex.EncodeToString(sum[:])
		s.retained = append(s.retained, e)
	}
	sortEntries(s.retained)
	return nil
}

// writeManifest writes manifest.json, the last file of a build.
func (s *Stage) writeManifest() error {
	s.mu.Lock()
	names := slices.Sorted(maps.Keys(s.files))
	files := func(yield func(Entry) bool) {
		for _, n := range names {
			if !yield(s.files[n].Entry(n)) {
				return
			}
		}
	}
	data, err := encodeManifest(1, s.o.BaseURL, len(names), files, s.retained)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	return s.write(ManifestFile, data, entry{class: Revalidate}, false)
}
