// Package container walks what a user hands to Backup Inspector — loose
// files, folders, zip/tar/gzip archives, Android .ab backups, Xiaomi MIUI
// .bak files and backup sets, nested any way — and turns them into one
// stream of files with provenance.
//
// Containers are recognised by content (magic bytes), never by file name.
// Each file that comes out carries a provenance path (segments joined by
// "!", folders inside a segment by "/"), its size and its SHA-256, computed
// in the same single pass that reads it. Everything streams: a multi-GB .ab
// is decrypted, inflated and untarred on the fly; only random-access
// formats found inside streams (SQLite databases, zips inside tars) are
// spooled to memory, within Options.SpoolLimit — or, past MemorySpoolMax,
// out of memory by Options.Spool (a temporary file, the browser's Blob
// storage). An uncompressed tar (an
// .ab, a MIUI .bak, a bare tar) inside a file with random access whose
// SHA-256 is supplied (InputFile.SHA256) is read through the ReaderAt
// instead: its entries get ReaderAts, and the data of entries whose hashes
// are supplied too (RangeSHA256) and that Visit does not read is skipped.
// So is the rest of a stored zip entry whose CRC-32 the caller checks
// (RangeCRC32). Locate tells which input's bytes a File's ReaderAt reads.
//
// Damage never stops the walk: bombs, traversal names, links, too-deep
// nesting, too many entries, truncation and wrong passwords are reported as
// Problems (naming the input, the path and the byte offset) and the rest is
// still read.
package container

import (
	"context"
	"hash"
	"io"
	"time"

	"github.com/backupinspector/backupinspector/parsers/androidbackup"
	"github.com/backupinspector/backupinspector/parsers/miui"
)

// An Input is one thing the user dropped: a file or a folder.
// A SpoolFile takes a file's bytes (Write) and then reads them back at
// random (ReaderAt, after the last Write).
type SpoolFile interface {
	io.Writer
	ReaderAt() (io.ReaderAt, error)
}

// MemorySpoolMax is the size up to which SQLite files found inside streams
// are spooled to memory even when Options.Spool is set (within
// SpoolLimit): reading them there is fastest.
const MemorySpoolMax = 16 << 20

type Input struct {
	// Name is the file's base name or the folder's name; it is the first
	// provenance segment.
	Name  string
	IsDir bool
	// Files: for a file exactly one InputFile with Path ""; for a folder
	// every file below it.
	Files []InputFile
}

// An InputFile is one file of an Input.
type InputFile struct {
	Path     string // relative to the folder, '/'-separated; "" for a file input
	Size     int64
	Open     func() (io.ReadCloser, error)
	ReaderAt io.ReaderAt // may be nil
	// SHA256, if set, supplies the file's SHA-256 computed elsewhere (by
	// the caller, in parallel with the walk). Walk then neither hashes the
	// file itself nor, when the file has a ReaderAt, reads it to the end
	// only to hash it. It is called once, after the file has been walked;
	// its result (lower-case hex, or "" if unknown) is used as it is.
	SHA256 func() string
	// RangeSHA256, if set, supplies the SHA-256 of byte ranges of this
	// file computed elsewhere (e.g. by a browser's hash worker in the same
	// pass that hashes the whole file). Walk asks for it for each file
	// found inside this one whose content is exactly the bytes [off,
	// off+n) of this file: entries of a tar, of an uncompressed and
	// unencrypted Android backup or MIUI .bak, stored zip entries, nested
	// any way through such containers. When it returns a func, Walk does
	// not hash that file; the func is called once, after the file has been
	// read completely (never for an incomplete one), and its result
	// (lower-case hex, or "" if unknown) is used as the file's SHA-256.
	// Returning nil lets Walk hash the file itself. Entries of compressed
	// or encrypted streams are always hashed by Walk.
	RangeSHA256 func(off, n int64) func() string
	// RangeCRC32, if set, is asked instead of RangeSHA256 for a stored zip
	// entry found inside this file (its bytes [off, off+n), its CRC-32
	// crc from the zip's directory): whoever hashes the range also checks
	// its CRC-32. When it returns a func, Walk does not read the entry to
	// its end only to check the CRC-32 (a .bak file in a zipped MIUI set is
	// then read as it is in a folder: its tar's headers and what is
	// parsed). A caller whose check fails must walk again without
	// RangeCRC32 for the mismatch to be reported (the page does); Walk
	// never reports one it did not see.
	RangeCRC32 func(off, n int64, crc uint32) func() string
}

// Options configure Walk. The zero value uses the defaults.
type Options struct {
	// Password is asked for each encrypted stream. nil or ok=false skips
	// it (problem "password-required").
	Password func(req PasswordRequest) (password string, ok bool)
	// MaxRatio is the largest accepted expansion ratio of a compressed
	// stream once it has produced more than RatioMinBytes (defaults 1000
	// and 1 MiB).
	MaxRatio      float64
	RatioMinBytes int64
	// MaxTotalRatio bounds everything the decompressors of one top-level
	// input produce together: at most MaxTotalRatio × the input's size, or
	// TotalMinBytes if that is more (defaults 100 and 1 GiB). It stops
	// bombs that stay just under MaxRatio from running for hours.
	MaxTotalRatio float64
	TotalMinBytes int64
	// MaxDepth bounds container nesting (default 16).
	MaxDepth int
	// MaxEntries bounds the entries of one archive (default 1,000,000).
	MaxEntries int
	// MaxListBytes bounds the memory of the list of files one Walk makes
	// (Result.Entries), across nested archives and inputs: each entry
	// counts its provenance path plus ListEntryCost. Past it, files are
	// neither listed nor read (problem too-many-entries). Default
	// DefaultMaxListBytes: a million entries with paths of ~40 bytes.
	MaxListBytes int64
	// SpoolLimit is the memory budget for spooling random-access formats
	// found inside streams (default DefaultSpoolLimit).
	SpoolLimit int64
	// Spool, if set, holds the SQLite files (databases, WALs, journals)
	// and zips found inside streams (a compressed or encrypted .ab, a
	// deflated zip entry) out of memory when they are larger than
	// MemorySpoolMax (SQLite files also when larger than what is left of
	// SpoolLimit): a temporary file, the browser's Blob storage. The File
	// handed to visit reads them from there (ReaderAt); a zip is read
	// through its central directory from there.
	// When it fails they are spooled to memory as without it. The files
	// spooled so, together, are bounded by SpoolOutLimit (default
	// DefaultSpoolOutLimit): a bomb must not fill the disk.
	Spool         func(size int64) (SpoolFile, error)
	SpoolOutLimit int64
	OnProblem     func(p Problem)
	// OnProgress reports bytes of the current top-level input consumed;
	// called at most about 10 times a second or once per MiB.
	OnProgress func(p Progress)
	// OnContainer, if set, is called for each container when it is opened,
	// with what its header says (MIUI and Android backup headers).
	OnContainer func(c *ContainerInfo)
	// NewHash, if set, makes the SHA-256 hashes of files (default
	// crypto/sha256.New), e.g. a faster one in a browser. A hash with a
	// Release() method gets it called when Walk is done with it. One with
	// a Placeholder() string method returning non-empty gives that string
	// as the file's SHA-256 (computed elsewhere: the caller replaces it,
	// e.g. a browser's hash worker); one whose Failed() bool method
	// reports true gives the file no SHA-256.
	NewHash func() hash.Hash
}

// Defaults for Options.
const (
	DefaultMaxRatio      = 1000
	DefaultRatioMinBytes = 1 << 20
	DefaultMaxTotalRatio = 100
	DefaultTotalMinBytes = 1 << 30
	DefaultMaxDepth      = 16
	DefaultMaxEntries    = 1_000_000
	DefaultSpoolLimit    = 256 << 20
	DefaultSpoolOutLimit = 4 << 30
	DefaultMaxListBytes  = 256 << 20
	// ListEntryCost is what an entry counts against MaxListBytes beside
	// its path: its Entry, its SHA-256 in hex, and the caller's copy.
	ListEntryCost = 220
)

// A PasswordRequest asks for the password of one encrypted stream.
type PasswordRequest struct {
	Path    string // provenance path of the encrypted file
	Attempt int    // 1 for the first ask
	LastErr error  // androidbackup.ErrWrongPassword on a retry
}

// ErrWrongPassword is the LastErr of a retry.
var ErrWrongPassword = androidbackup.ErrWrongPassword

// A Problem is something wrong with an input that did not stop the walk.
type Problem struct {
	Input   string // top-level input name
	Path    string // provenance path of the file or container concerned
	Offset  int64  // byte offset in the decoded content of the container (or file) where it was noticed
	Code    string // stable kebab-case id, see the Code* constants
	Message string
	// Warning is true for notes that did not prevent reading anything
	// (e.g. a newer format version).
	Warning bool
}

// Problem codes.
const (
	CodePasswordRequired       = "password-required"
	CodeWrongPassword          = "wrong-password"
	CodeTruncated              = "truncated"
	CodeCorrupt                = "corrupt"
	CodeBombRatio              = "bomb-ratio"
	CodePathTraversal          = "path-traversal"
	CodeLink                   = "link"
	CodeSpecialFile            = "special-file"
	CodeTooDeep                = "too-deep"
	CodeTooManyEntries         = "too-many-entries"
	CodeEncryptedUnknownMethod = "encrypted-unknown-method"
	CodeUnsupported            = "unsupported"
	CodeUnknownFormat          = "unknown-format"
	CodeReadError              = "read-error"
	CodeSpoolLimit             = "spool-limit"
	CodeMissingFile            = "missing-file"
	CodeUnlistedFile           = "unlisted-file"
	CodeVisitFailed            = "visit-failed"
	CodeWarning                = "warning"
)

// Progress reports how far the current top-level input has been read.
type Progress struct {
	Input string
	Done  int64 // bytes of the input consumed
	Total int64 // its size (sum of files for a folder)
	Path  string
}

// A File is one leaf handed to the Visit function.
type File struct {
	// Path is the provenance path: segments joined by "!" (a "!" or "%"
	// inside a name percent-encoded), folders inside a segment by "/".
	Path string
	Name string // base name of the last segment (decoded)
	Dir  string // provenance path of its directory
	Size int64  // -1 if unknown before reading (e.g. gzip content)
	// ModTime is UTC, zero if unknown.
	ModTime time.Time
	// Package and Domain are set for entries of an Android backup tar
	// (apps/<pkg>/<domain>/...); Package also from a MIUI .bak header.
	Package, Domain string
	Head            []byte // first min(Size, 4096) bytes
	Format          Format
	// ReaderAt is non-nil only when cheap random access exists (a loose
	// input file, a stored zip entry on random access, an entry of a tar
	// read through a ReaderAt, or a spooled entry). It is valid during the
	// Visit call.
	ReaderAt io.ReaderAt
	Depth    int
}

// Visit receives each leaf. r streams the content; whatever Visit leaves
// unread is drained afterwards so the SHA-256 covers every byte. An error
// returned by Visit becomes a "visit-failed" problem (context errors stop
// the walk).
type Visit func(f *File, r io.Reader) error

// An Entry lists one file at any depth, containers included.
type Entry struct {
	Path      string `json:"path"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
	Format    string `json:"format,omitempty"`
	Container string `json:"container,omitempty"` // "" for leaves, else "zip", "tar", "gzip", "android-backup", "miui-bak", "key-value", "folder"
}

// InputInfo summarises one top-level input.
type InputInfo struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256,omitempty"` // "" for folders
	Format string `json:"format"`
}

// A MIUISet is a descript.xml found in a folder, with its parsed content.
type MIUISet struct {
	Dir      string // provenance path of the folder holding descript.xml
	Path     string // provenance path of descript.xml
	Descript *miui.Descript
}

// Result is what Walk found.
type Result struct {
	Entries  []Entry
	Inputs   []InputInfo
	MIUISets []MIUISet
	Problems []Problem
}

// ContainerInfo describes an opened container (for Options.OnContainer).
type ContainerInfo struct {
	Path  string
	Kind  string // "zip", "tar", "gzip", "android-backup", "miui-bak", "key-value", "folder"
	Depth int
	// MIUI is the .bak header of a "miui-bak" container.
	MIUI *miui.Header
	// AndroidBackup is the header of the Android backup stream of an
	// "android-backup" or "miui-bak" container (nil if it could not be
	// read).
	AndroidBackup *androidbackup.Header
}

// Walk reads every input and calls visit for each leaf file. Errors of one
// input never stop the others; they become Problems (also passed to
// Options.OnProblem). Walk returns an error only when ctx is cancelled, with
// the partial Result.
func Walk(ctx context.Context, inputs []Input, opts Options, visit Visit) (*Result, error) {
	w := newWalker(ctx, opts, visit)
	for _, in := range inputs {
		if err := ctx.Err(); err != nil {
			return w.res, err
		}
		w.walkInput(in)
		if err := ctx.Err(); err != nil {
			return w.res, err
		}
	}
	w.closeScope(w.root)
	return w.res, ctx.Err()
}
