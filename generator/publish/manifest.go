package publish

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

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
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest.json: %w", err)
	}
	if m.Version != 1 {
		return nil, fmt.Errorf("manifest.json: version %d, want 1", m.Version)
	}
	for _, e := range append(m.Files, m.Retained...) {
		if checkName(e.Path) != nil || e.Size < 0 || len(e.SHA256) != 64 {
			return nil, fmt.Errorf("manifest.json: bad entry %q", e.Path)
		}
	}
	return &m, nil
}

// encode writes the manifest with one file per line: compact, and a diff
// between two builds shows what changed.
func (m *Manifest) encode() ([]byte, error) {
	var b bytes.Buffer
	head, err := json.Marshal(struct {
		Version int    `json:"version"`
		BaseURL string `json:"base_url"`
	}{m.Version, m.BaseURL})
	if err != nil {
		return nil, err
	}
	b.Write(head[:len(head)-1])
	list := func(key string, es []Entry) error {
		fmt.Fprintf(&b, ",\n%q:[", key)
		for i, e := range es {
			line, err := json.Marshal(e)
			if err != nil {
				return err
			}
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
			b.Write(line)
		}
		b.WriteString("\n]")
		return nil
	}
	if err := list("files", m.Files); err != nil {
		return nil, err
	}
	if len(m.Retained) > 0 {
		if err := list("retained", m.Retained); err != nil {
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
	data, err := fs.ReadFile(s.o.Previous, ManifestFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	var prev *Manifest
	if err == nil {
		prev, err = ReadManifest(data)
	}
	if err != nil {
		return &diag.Diagnostic{File: ManifestFile, Severity: diag.Warning, Rule: "publish.previous-manifest",
			Message: fmt.Sprintf("无法读取上一次生成的 manifest.json（%v）：上一次的带哈希资源文件不再保留", err)}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range prev.Files {
		if e.Class != Immutable || s.files[e.Path] != nil {
			continue
		}
		old, err := fs.ReadFile(s.o.Previous, e.Path)
		if err != nil {
			continue
		}
		sum := sha256.Sum256(old)
		e.Size, e.SHA256 = int64(len(old)), hex.EncodeToString(sum[:])
		s.retained = append(s.retained, e)
	}
	sortEntries(s.retained)
	return nil
}

// writeManifest writes manifest.json, the last file of a build.
func (s *Stage) writeManifest() error {
	s.mu.Lock()
	m := &Manifest{Version: 1, BaseURL: s.o.BaseURL, Retained: s.retained}
	for _, e := range s.files {
		m.Files = append(m.Files, *e)
	}
	s.mu.Unlock()
	sortEntries(m.Files)
	data, err := m.encode()
	if err != nil {
		return err
	}
	return s.write(ManifestFile, data, Entry{Class: Revalidate})
}

// isPage reports whether an output name is an HTML page.
func isPage(name string) bool {
	return strings.EqualFold(path.Ext(name), ".html")
}
