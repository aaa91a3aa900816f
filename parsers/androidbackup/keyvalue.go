package androidbackup

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// KVMagic is the record type of a key-value entity header ("Data" read as a
// little-endian int32), from Android's BackupData format.
const KVMagic = 0x61746144

// MaxKVKey bounds a key length read from a file.
const MaxKVKey = 64 << 10

// A KVRecord is one entity of a key-value (BackupDataOutput) stream, found in
// apps/<pkg>/k/<pkg>.data (formats.md §3.9).
type KVRecord struct {
	Key    string // UTF-8 (invalid bytes become U+FFFD)
	Size   int64  // value size in bytes; -1 means the key was deleted
	Offset int64  // offset of the record header in the stream
}

// ErrKVFormat matches every key-value stream error through errors.Is.
var ErrKVFormat = errors.New("androidbackup: bad key-value data")

// A KVError reports a malformed or truncated key-value stream.
type KVError struct {
	Offset    int64
	Truncated bool
	Reason    string
}

func (e *KVError) Error() string {
	if e.Truncated {
		return fmt.Sprintf("androidbackup: key-value data truncated at offset %d: %s", e.Offset, e.Reason)
	}
	return fmt.Sprintf("androidbackup: bad key-value data at offset %d: %s", e.Offset, e.Reason)
}

// Is makes errors.Is(err, ErrKVFormat) true, and errors.Is(err,
// ErrTruncated) true for truncation.
func (e *KVError) Is(target error) bool {
	return target == ErrKVFormat || (target == ErrTruncated && e.Truncated)
}

// A KVReader reads key-value records sequentially, like archive/tar: Next
// advances to the next record and Read reads its value.
type KVReader struct {
	r      io.Reader
	off    int64
	remain int64 // value bytes left in the current record
	pad    int   // padding after the current value
	err    error
}

// NewKVReader returns a reader of the BackupData stream r.
func NewKVReader(r io.Reader) *KVReader { return &KVReader{r: r} }

// IsKeyValue reports whether head (the first bytes of a file) looks like a
// key-value stream: the "Data" magic, a sane key length and a NUL after the
// key when the key fits in head.
func IsKeyValue(head []byte) bool {
	if len(head) < 12 || binary.LittleEndian.Uint32(head) != KVMagic {
		return false
	}
	kl := int32(binary.LittleEndian.Uint32(head[4:]))
	ds := int32(binary.LittleEndian.Uint32(head[8:]))
	if kl < 0 || kl > MaxKVKey || ds < -1 {
		return false
	}
	if 12+int(kl) < len(head) {
		return head[12+kl] == 0
	}
	return true
}

func (kr *KVReader) readFull(b []byte) error {
	n, err := io.ReadFull(kr.r, b)
	kr.off += int64(n)
	return err
}

func (kr *KVReader) skip(n int64) error {
	m, err := io.CopyN(io.Discard, kr.r, n)
	kr.off += m
	return err
}

// Next advances to the next record, skipping any unread value. It returns
// io.EOF at the end of the stream.
func (kr *KVReader) Next() (*KVRecord, error) {
	if kr.err != nil {
		return nil, kr.err
	}
	if kr.remain > 0 {
		if err := kr.skip(kr.remain); err != nil {
			return nil, kr.fail(true, "inside a value")
		}
		kr.remain = 0
	}
	if kr.pad > 0 {
		// The writer pads lazily before the next header, so padding may
		// be missing at the very end.
		var p [4]byte
		n, err := io.ReadFull(kr.r, p[:kr.pad])
		kr.off += int64(n)
		kr.pad = 0
		if err == io.EOF || (err == io.ErrUnexpectedEOF && n > 0) {
			kr.err = io.EOF
			return nil, io.EOF
		}
		if err != nil {
			return nil, kr.fail(false, err.Error())
		}
	}
	start := kr.off
	var h [12]byte
	n, err := io.ReadFull(kr.r, h[:])
	kr.off += int64(n)
	if err == io.EOF {
		kr.err = io.EOF
		return nil, io.EOF
	}
	if err != nil {
		return nil, kr.failAt(start, true, "inside a record header")
	}
	if t := binary.LittleEndian.Uint32(h[:]); t != KVMagic {
		return nil, kr.failAt(start, false, fmt.Sprintf("record type %#08x, want %#08x (\"Data\")", t, KVMagic))
	}
	kl := int32(binary.LittleEndian.Uint32(h[4:]))
	ds := int32(binary.LittleEndian.Uint32(h[8:]))
	if kl < 0 || kl > MaxKVKey {
		return nil, kr.failAt(start, false, fmt.Sprintf("key length %d out of range 0..%d", kl, MaxKVKey))
	}
	if ds < -1 {
		return nil, kr.failAt(start, false, fmt.Sprintf("data size %d is negative", ds))
	}
	// key + NUL, padded to 4
	kn := int(kl) + 1
	kn += (4 - kn%4) % 4
	kb := make([]byte, kn)
	if err := kr.readFull(kb); err != nil {
		return nil, kr.fail(true, "inside a key")
	}
	if kb[kl] != 0 {
		return nil, kr.failAt(start+12+int64(kl), false, "key is not NUL-terminated")
	}
	rec := &KVRecord{Key: strings.ToValidUTF8(string(kb[:kl]), "\uFFFD"), Size: int64(ds), Offset: start}
	if ds > 0 {
		kr.remain = int64(ds)
		kr.pad = int((4 - ds%4) % 4)
	}
	return rec, nil
}

// Read reads the value of the current record.
func (kr *KVReader) Read(p []byte) (int, error) {
	if kr.err != nil && kr.err != io.EOF {
		return 0, kr.err
	}
	if kr.remain <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > kr.remain {
		p = p[:kr.remain]
	}
	n, err := kr.r.Read(p)
	kr.off += int64(n)
	kr.remain -= int64(n)
	if err == io.EOF && kr.remain > 0 {
		return n, kr.fail(true, "inside a value")
	}
	if err == io.EOF {
		err = nil
	}
	return n, err
}

// Offset returns the number of bytes consumed so far.
func (kr *KVReader) Offset() int64 { return kr.off }

func (kr *KVReader) fail(trunc bool, reason string) error {
	return kr.failAt(kr.off, trunc, reason)
}

func (kr *KVReader) failAt(off int64, trunc bool, reason string) error {
	kr.err = &KVError{Offset: off, Truncated: trunc, Reason: reason}
	return kr.err
}

// ReadKeyValues reads a whole key-value stream into a map, keeping only
// values up to maxValue bytes (larger ones are reported as an error).
// Deleted keys map to nil. For big streams use KVReader.
func ReadKeyValues(r io.Reader, maxValue int64) (map[string][]byte, error) {
	kr := NewKVReader(r)
	m := map[string][]byte{}
	for {
		rec, err := kr.Next()
		if err == io.EOF {
			return m, nil
		}
		if err != nil {
			return m, err
		}
		if rec.Size < 0 {
			m[rec.Key] = nil
			continue
		}
		if rec.Size > maxValue {
			return m, fmt.Errorf("androidbackup: value of key %q at offset %d is %d bytes, over the %d-byte limit", rec.Key, rec.Offset, rec.Size, maxValue)
		}
		v := make([]byte, rec.Size)
		if _, err := io.ReadFull(kr, v); err != nil {
			return m, err
		}
		m[rec.Key] = v
	}
}
